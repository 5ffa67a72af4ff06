import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { newId } from '@app/infra/crypto/ids';
import { NewApiKey } from '../partners.repository';
import { digestApiKey, displayPrefix, generateApiKey, lookupIdFromDigest } from './api-key.codec';

/** Makes a new key: the plain value (shown once) and what is stored (bcrypt hash + lookup id). */
@Injectable()
export class ApiKeyIssuer {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async issue(): Promise<{ plain: string; stored: NewApiKey }> {
    const plain = generateApiKey();
    const stored: NewApiKey = {
      id: newId.apiKey(),
      lookupId: lookupIdFromDigest(digestApiKey(plain)),
      keyHash: await bcrypt.hash(plain, this.config.auth.bcryptCost),
      prefix: displayPrefix(plain),
    };
    return { plain, stored };
  }
}
