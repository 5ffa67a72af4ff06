import { http } from './http';

export interface CreatedPartner {
  partner: { id: string; name: string; tier: string; status: string; [k: string]: unknown };
  apiKey: string;
  webhookSecret: string;
}

/** Operators' API as a test would use it (real HTTP, bearer token). */
export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private headers() {
    return { authorization: `Bearer ${this.token}` };
  }

  async createPartner(body: Record<string, unknown> = {}): Promise<CreatedPartner> {
    const res = await http<CreatedPartner>('POST', `${this.baseUrl}/admin/v1/partners`, {
      headers: this.headers(),
      body: {
        name: `Partner ${Math.random().toString(36).slice(2, 8)}`,
        tier: 'GROWTH',
        kycModel: 'GATEWAY_MANAGED',
        ...body,
      },
    });
    if (res.status !== 201) throw new Error(`createPartner failed: ${res.status} ${res.text}`);
    return res.body;
  }

  patchPartner(id: string, body: Record<string, unknown>) {
    return http('PATCH', `${this.baseUrl}/admin/v1/partners/${id}`, { headers: this.headers(), body });
  }

  rotateKey(id: string, body: Record<string, unknown> = {}) {
    return http('POST', `${this.baseUrl}/admin/v1/partners/${id}/api-keys`, {
      headers: this.headers(),
      body,
    });
  }

  get(path: string) {
    return http('GET', `${this.baseUrl}${path}`, { headers: this.headers() });
  }
}
