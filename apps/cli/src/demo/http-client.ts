/** A tiny JSON client for driving the API over real HTTP, as a browser or app would. */
export class ApiClient {
  constructor(private readonly base: string) {}

  async call<T = any>(method: string, path: string, options: { body?: unknown; token?: string; csv?: string; expect?: number } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.csv !== undefined) {
      headers['Content-Type'] = 'text/csv';
      body = options.csv;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body });
    const text = await res.text();
    const parsed = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    if (options.expect !== undefined ? res.status !== options.expect : res.status >= 400)
      throw new Error(`${method} ${path} → ${res.status}: ${typeof parsed === 'string' ? parsed : JSON.stringify(parsed)}`);
    return parsed as T;
  }

  get = <T = any>(path: string, token?: string) => this.call<T>('GET', path, { token });
  post = <T = any>(path: string, body?: unknown, token?: string) => this.call<T>('POST', path, { body, token });
  put = <T = any>(path: string, body?: unknown, token?: string) => this.call<T>('PUT', path, { body, token });
}
