import { z } from 'zod';
import { Id } from './common.js';
import { Job } from './job.js';

/** Answers of the job routes. Closed, like every answer (api-responses.ts). */

/** How far a job has come, as the shelter views show it. */
export const JobProgress = z.object({
  id: Id,
  kind: z.string(),
  status: z.string(),
  stepsDone: z.number().int(),
  stepsTotal: z.number().int(),
  errors: z.number().int(),
});
export type JobProgress = z.infer<typeof JobProgress>;
export const JobDetail = Job.extend({ progress: JobProgress });
