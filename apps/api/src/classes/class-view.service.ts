import { Injectable } from '@nestjs/common';
import { BadgeAwards } from '@app/badges';
import { IdeasService } from '@app/competitions';
import type { ClassDetail, ClassStudentView } from '@app/schools';
import { ClassDto, ClassStudentDto, IdeaCountsDto } from './dto/classes.dto.js';

/**
 * Assembles SPEC §3's class shape from the areas that own its parts: the class and its students from
 * schools and identity, idea counts from competitions, badges from the badges area.
 */
@Injectable()
export class ClassViewService {
  constructor(
    private readonly ideas: IdeasService,
    private readonly badges: BadgeAwards,
  ) {}

  async toDto(detail: ClassDetail): Promise<ClassDto> {
    return {
      id: detail.id,
      schoolId: detail.schoolId,
      name: detail.name,
      yearGroup: detail.yearGroup,
      joinCode: detail.joinCode,
      locked: detail.locked,
      students: await this.studentDtos(detail.students),
    };
  }

  async studentDtos(students: ClassStudentView[]): Promise<ClassStudentDto[]> {
    const ids = students.map((s) => s.userId);
    const [ideas, progress] = await Promise.all([this.ideaCounts(ids), this.badges.progress(ids)]);
    return students.map((s) => ({
      userId: s.userId,
      firstName: s.firstName,
      lastName: s.lastName,
      displayName: s.displayName,
      username: s.username,
      ageBand: s.ageBand,
      consentStatus: s.consentStatus,
      ideas: ideas.get(s.userId) ?? { draft: 0, submitted: 0 },
      ...(progress.get(s.userId) ?? { badgeCount: 0, points: 0, level: null }),
    }));
  }

  private ideaCounts(userIds: string[]): Promise<Map<string, IdeaCountsDto>> {
    return this.ideas.countsByMember(userIds);
  }
}
