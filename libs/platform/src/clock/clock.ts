import { Injectable } from '@nestjs/common';

/** The one source of time. Tests replace it (or move it) to cross deadlines without sleeping. */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves this clock (tests and demos only). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

// Built once: constructing an Intl.DateTimeFormat costs ~60× formatting with one (seen in profiles).
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Europe/London as YYYY-MM-DD. */
export function londonDate(at: Date): string {
  return LONDON_DATE.format(at);
}

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });

/** Seconds until the next Europe/London midnight (when daily allowances renew). */
export function secondsUntilLondonMidnight(at: Date): number {
  const parts = LONDON_TIME.formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Math.max(1, 86_400 - (part('hour') * 3600 + part('minute') * 60 + part('second')));
}
