import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '@app/identity';
import { ClassesService } from '@app/schools';
import { Roles } from '../common/auth.decorators.js';
import { ProblemDto } from '../common/problem.dto.js';

/**
 * Who may use a class route, decided before the body is read (SPEC §3: authorisation before validation):
 * - `verified-teacher`: a teacher verified at some school (403 otherwise);
 * - `class-teacher`: a verified teacher of class `:id` (403 when verified nowhere; 404 for anyone else,
 *   so a class of another school is not even seen to exist);
 * - `attesting-teacher`: the same, but 403 for anyone else (SPEC asks consent attestations to say so),
 *   whether or not the class exists.
 */
export type ClassAccessRule = 'verified-teacher' | 'class-teacher' | 'attesting-teacher';

const CLASS_ACCESS = 'yi:class-access';

@Injectable()
export class ClassAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly classes: ClassesService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get<ClassAccessRule>(CLASS_ACCESS, ctx.getHandler());
    const req = ctx.switchToHttp().getRequest<Request>();
    const { userId } = req.user as Principal;
    if (rule === 'verified-teacher') await this.classes.assertVerifiedTeacher(userId);
    else await this.classes.assertTeaches(String(req.params.id), userId, rule === 'attesting-teacher' ? 'forbidden' : 'not_found');
    return true;
  }
}

const FORBIDDEN: Record<ClassAccessRule, string> = {
  'verified-teacher': 'Not a teacher, or a teacher not yet verified at their school',
  'class-teacher': 'Not a teacher, or a teacher not yet verified at their school',
  'attesting-teacher': 'Not a verified teacher of this class',
};

/** A teacher's class route: the role, the rule above, and their OpenAPI description. */
export const ClassAccess = (rule: ClassAccessRule) =>
  applyDecorators(
    Roles('teacher'),
    SetMetadata(CLASS_ACCESS, rule),
    UseGuards(ClassAccessGuard),
    ApiForbiddenResponse({ type: ProblemDto, description: FORBIDDEN[rule] }),
  );
