// Every migration, in order. A new migration file is listed here too (a test checks none is missing).
import { Initial1795643005731 } from './1795643005731-Initial.js';
import { SchoolsAndClasses1795643883689 } from './1795643883689-SchoolsAndClasses.js';
import { CompetitionsAndIdeas1795643974759 } from './1795643974759-CompetitionsAndIdeas.js';
import { Judging1795647889703 } from './1795647889703-Judging.js';

export const migrations: Function[] = [Initial1795643005731, SchoolsAndClasses1795643883689, CompetitionsAndIdeas1795643974759, Judging1795647889703];
