import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';

/** Partner end users: POST/GET /users, GET /users/:ref. */
@Module({ imports: [PartnersModule] })
export class UsersModule {}
