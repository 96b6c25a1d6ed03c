// Every migration, in order. A new migration file is listed here too (a test checks none is missing).
import { Initial1795643005731 } from './1795643005731-Initial.js';
import { SchoolsAndClasses1795643883689 } from './1795643883689-SchoolsAndClasses.js';
import { CompetitionsAndIdeas1795643974759 } from './1795643974759-CompetitionsAndIdeas.js';
import { RetentionStage1795645383813 } from './1795645383813-RetentionStage.js';
import { Badges1795645408959 } from './1795645408959-Badges.js';
import { OpenData1795647729346 } from './1795647729346-OpenData.js';
import { Judging1795647889703 } from './1795647889703-Judging.js';
import { PartitionRoundTablesByRound1795652540519 } from './1795652540519-PartitionRoundTablesByRound.js';
import { IdeaCreatedIndex1795657984319 } from './1795657984319-IdeaCreatedIndex.js';

export const migrations: Function[] = [
  Initial1795643005731,
  SchoolsAndClasses1795643883689,
  CompetitionsAndIdeas1795643974759,
  RetentionStage1795645383813,
  Badges1795645408959,
  OpenData1795647729346,
  Judging1795647889703,
  PartitionRoundTablesByRound1795652540519,
  IdeaCreatedIndex1795657984319,
];
