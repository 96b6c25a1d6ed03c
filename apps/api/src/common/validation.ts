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

// Half of a UTF-16 surrogate pair on its own: no character at all (JSON's \ud800 escape can carry one), and
// validators that percent-encode text (isEmail) throw on it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses any string holding U+0000 or a lone surrogate anywhere in the body, query or path (SPEC §3): 400 naming the field. */
@Injectable()
export class TextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const bad: FieldError[] = [];
    const walk = (v: unknown, path: string, depth: number) => {
      if (depth > 32) return;
      if (typeof v === 'string') {
        const field = path || (metadata.data ?? metadata.type);
        if (v.includes('\u0000')) bad.push({ field, message: 'must not contain the NUL character' });
        if (LONE_SURROGATE.test(v)) bad.push({ field, message: 'must be well-formed text (it holds half of a surrogate pair)' });
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
  const clean = new TextPipe().transform(body, { type: 'body', metatype: dto });
  return validationPipe().transform(clean, { type: 'body', metatype: dto }) as Promise<T>;
}
