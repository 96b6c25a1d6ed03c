import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '@app/platform';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, '$1 is not an accepted field'),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator with every bad field listed, unknown fields refused (GUIDE practice 1). */
export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.invalid('VALIDATION_FAILED', flatten(errors)),
  });

/** Refuses any string holding U+0000 anywhere in the body, query or path (SPEC §3). */
@Injectable()
export class NulBytePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const bad: FieldError[] = [];
    const walk = (v: unknown, path: string, depth: number) => {
      if (depth > 32) return;
      if (typeof v === 'string') {
        if (v.includes('\u0000')) bad.push({ field: path || (metadata.data ?? metadata.type), message: 'must not contain the NUL character' });
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, depth + 1);
    };
    walk(value, metadata.data ?? '', 0);
    if (bad.length) throw DomainError.invalid('VALIDATION_FAILED', bad);
    return value;
  }
}

/** Both global pipes, for a body a guard must read before the route runs (sign-in). */
export async function validateBody<T extends object>(body: unknown, dto: new () => T): Promise<T> {
  const clean = new NulBytePipe().transform(body, { type: 'body', metatype: dto });
  return validationPipe().transform(clean, { type: 'body', metatype: dto }) as Promise<T>;
}
