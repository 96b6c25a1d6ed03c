import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { ClassesService } from '@app/schools';
import { ApiProblem, ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { IdParam, PageQueryDto } from '../common/dto.js';
import { ClassAccess } from './class-access.guard.js';
import { ClassViewService } from './class-view.service.js';
import {
  AddClassTeacherDto,
  AttestConsentDto,
  ClassDto,
  ClassPageDto,
  ClassStudentDto,
  ClassStudentParams,
  CorrectDateOfBirthDto,
  CreateClassDto,
  InitialPasswordDto,
  JoinClassDto,
  JoinCodeDto,
  JoinedClassDto,
  MoveStudentDto,
  UpdateClassDto,
} from './dto/classes.dto.js';

/**
 * Classes of verified teachers (SPEC §2.2). A teacher verified nowhere gets 403; a class they do not
 * teach is 404 to them (consent attestation: 403).
 */
@ApiTags('classes')
@Controller('classes')
export class ClassesController {
  constructor(
    private readonly classes: ClassesService,
    private readonly views: ClassViewService,
  ) {}

  @ClassAccess('verified-teacher')
  @Post()
  @ApiCreatedResponse({ type: ClassDto })
  @ApiProblems(400, 404)
  async create(@CurrentUser() teacher: Principal, @Body() dto: CreateClassDto): Promise<ClassDto> {
    return this.views.toDto(await this.classes.create(teacher.userId, dto));
  }

  @ClassAccess('verified-teacher')
  @Get()
  @ApiOkResponse({ type: ClassPageDto, description: 'The classes the caller teaches, newest first' })
  @ApiProblems(400)
  mine(@CurrentUser() teacher: Principal, @Query() page: PageQueryDto): Promise<ClassPageDto> {
    return this.classes.mine(teacher.userId, page);
  }

  @Roles('entrant')
  @Post('join')
  @HttpCode(200)
  @ApiOkResponse({ type: JoinedClassDto })
  @ApiProblems(400, 404, 409, 423, 429)
  join(@CurrentUser() entrant: Principal, @Body() dto: JoinClassDto): Promise<JoinedClassDto> {
    return this.classes.join(entrant.userId, dto.code);
  }

  @ClassAccess('class-teacher')
  @Get(':id')
  @ApiOkResponse({ type: ClassDto })
  @ApiProblems(404)
  async get(@CurrentUser() teacher: Principal, @Param() { id }: IdParam): Promise<ClassDto> {
    return this.views.toDto(await this.classes.get(id, teacher.userId));
  }

  @ClassAccess('class-teacher')
  @Patch(':id')
  @ApiOkResponse({ type: ClassDto })
  @ApiProblems(400, 404)
  async update(@CurrentUser() teacher: Principal, @Param() { id }: IdParam, @Body() dto: UpdateClassDto): Promise<ClassDto> {
    return this.views.toDto(await this.classes.update(id, teacher.userId, dto));
  }

  @ClassAccess('class-teacher')
  @Post(':id/teachers')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The teacher now teaches the class too' })
  @ApiProblems(400, 404)
  async addTeacher(@CurrentUser() teacher: Principal, @Param() { id }: IdParam, @Body() dto: AddClassTeacherDto): Promise<void> {
    await this.classes.addTeacher(id, teacher.userId, dto.userId);
  }

  @ClassAccess('class-teacher')
  @Post(':id/join-code')
  @HttpCode(200)
  @ApiOkResponse({ type: JoinCodeDto, description: 'A new join code; the old one stops working' })
  @ApiProblems(404)
  async rotateJoinCode(@CurrentUser() teacher: Principal, @Param() { id }: IdParam): Promise<JoinCodeDto> {
    return { joinCode: await this.classes.rotateJoinCode(id, teacher.userId) };
  }

  @ClassAccess('attesting-teacher')
  @Post(':id/students/:userId/consent')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Consent recorded as granted by school attestation (audited)' })
  @ApiProblems(400, 404, 409)
  async attest(@CurrentUser() teacher: Principal, @Param() { id, userId }: ClassStudentParams, @Body() _dto: AttestConsentDto): Promise<void> {
    await this.classes.attestConsent(id, teacher.userId, userId);
  }

  @ClassAccess('class-teacher')
  @Post(':id/students/:userId/move')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Moved to another class of the same school' })
  @ApiProblem(400, 'Invalid input; or `toClassId` is the class the pupil is already in (`errors` names `toClassId`; nothing changed)')
  @ApiProblems(404, 409)
  async move(@CurrentUser() teacher: Principal, @Param() { id, userId }: ClassStudentParams, @Body() dto: MoveStudentDto): Promise<void> {
    await this.classes.moveStudent(id, teacher.userId, userId, dto.toClassId);
  }

  @ClassAccess('class-teacher')
  @Post(':id/students/:userId/reset-password')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store') // a password: no cache may keep it
  @ApiOkResponse({ type: InitialPasswordDto, description: 'Roster accounts without email only (others → 403); sessions end' })
  @ApiProblems(400, 404)
  async resetPassword(@CurrentUser() teacher: Principal, @Param() { id, userId }: ClassStudentParams): Promise<InitialPasswordDto> {
    return { initialPassword: await this.classes.resetStudentPassword(id, teacher.userId, userId) };
  }

  @ClassAccess('class-teacher')
  @Post(':id/students/:userId/unlock')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Failed sign-ins forgotten. Roster accounts without email only (others → 403)' })
  @ApiProblems(400, 404)
  async unlock(@CurrentUser() teacher: Principal, @Param() { id, userId }: ClassStudentParams): Promise<void> {
    await this.classes.unlockStudent(id, teacher.userId, userId);
  }

  @ClassAccess('class-teacher')
  @Patch(':id/students/:userId')
  @ApiOkResponse({ type: ClassStudentDto, description: 'Date of birth corrected (audited; under 18, adult roles are removed); the student as the class shows them' })
  @ApiProblems(400, 404)
  async correctDateOfBirth(
    @CurrentUser() teacher: Principal,
    @Param() { id, userId }: ClassStudentParams,
    @Body() dto: CorrectDateOfBirthDto,
  ): Promise<ClassStudentDto> {
    const [student] = await this.views.studentDtos([await this.classes.correctDateOfBirth(id, teacher.userId, userId, dto.dateOfBirth)]);
    return student;
  }

  @ClassAccess('class-teacher')
  @Delete(':id/students/:userId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed from the class (the account stays)' })
  @ApiProblems(400, 404)
  async remove(@CurrentUser() teacher: Principal, @Param() { id, userId }: ClassStudentParams): Promise<void> {
    await this.classes.removeStudent(id, teacher.userId, userId);
  }
}
