import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@app/identity';
import { SchoolsService } from '@app/schools';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { IdParam } from '../common/dto.js';
import {
  RegisterSchoolDto,
  SchoolDetailDto,
  SchoolPageDto,
  SchoolQueryDto,
  SchoolRegistrationDto,
  SchoolTeacherParams,
  VerifySchoolDto,
} from './dto/schools.dto.js';

@ApiTags('schools')
@Controller('schools')
export class SchoolsController {
  constructor(private readonly schools: SchoolsService) {}

  @Roles('teacher')
  @Post()
  @ApiCreatedResponse({ type: SchoolRegistrationDto, description: 'A new school, pending verification, with the caller as its first (pending) teacher' })
  @ApiOkResponse({ type: SchoolRegistrationDto, description: 'The school with this URN already exists: the caller is now one of its teachers (pending until verified)' })
  @ApiProblems(400)
  async register(
    @CurrentUser() teacher: Principal,
    @Body() dto: RegisterSchoolDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SchoolRegistrationDto> {
    const { school, membershipStatus, created } = await this.schools.register(teacher.userId, dto);
    res.status(created ? 201 : 200);
    return { ...school, membershipStatus };
  }

  @Roles('organiser')
  @Get()
  @ApiOkResponse({ type: SchoolPageDto, description: 'Newest first; `?status=pending` lists the schools waiting for verification' })
  @ApiProblems(400)
  list(@Query() q: SchoolQueryDto): Promise<SchoolPageDto> {
    return this.schools.list(q);
  }

  @Roles('teacher', 'organiser')
  @Get(':id')
  @ApiOkResponse({ type: SchoolDetailDto, description: 'For organisers and the school’s verified teachers' })
  @ApiProblems(400, 404)
  detail(@CurrentUser() viewer: Principal, @Param() { id }: IdParam): Promise<SchoolDetailDto> {
    return this.schools.detail(id, viewer);
  }

  @Roles('organiser')
  @Post(':id/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: SchoolDetailDto, description: 'The school and the listed teachers (default: the first to join) are verified; each is emailed' })
  @ApiProblems(400, 404)
  verify(@CurrentUser() organiser: Principal, @Param() { id }: IdParam, @Body() dto: VerifySchoolDto): Promise<SchoolDetailDto> {
    return this.schools.verify(id, organiser.userId, dto);
  }

  @Roles('teacher', 'organiser')
  @Post(':id/teachers/:userId/approve')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The teacher is verified at the school and emailed. By a verified teacher of the school or an organiser' })
  @ApiProblems(400, 404, 409)
  async approve(@CurrentUser() actor: Principal, @Param() { id, userId }: SchoolTeacherParams): Promise<void> {
    await this.schools.approve(id, userId, actor);
  }
}
