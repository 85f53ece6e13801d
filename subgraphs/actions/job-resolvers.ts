/** Jobs: run_job, get_job, list_jobs, get_project_job_statistics, Job.action, Project.webhook_signing_secret. */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Resolvers } from './generated/resolvers-types.ts';
import { authorize, requireAuthenticated, roleIn } from '../kit/authorize.ts';
import { badUserInput, notFound } from '../../core/errors.ts';
import { isAddressAllowed, parseAllowList, refusedRange } from '../kit/outbound/index.ts';
import { enqueue, QUEUE_STATUSES, waitUntilSettled } from '../kit/queue/index.ts';
import { findJob, selectJobs, toJobView } from './jobs.ts';
import { actionOrNotFound, pageOf, projectIdOf, type ActionsServices } from './services.ts';
import { jobStatistics } from './statistics.ts';

const MAX_WEBHOOK_URL_LENGTH = 2048;

export function jobResolvers({ catalogue, validatePayload, settings, keyring }: ActionsServices): Resolvers {
  const allowList = parseAllowList(settings.outboundAllowedHosts);

  /**
   * A webhook URL is checked before the job exists: http(s), no credentials, and not an address literal
   * the outbound guard would refuse. A name is checked again when the webhook is sent, at connect time.
   */
  function requireWebhookUrl(value: string): string {
    if (value.length > MAX_WEBHOOK_URL_LENGTH || !URL.canParse(value)) throw badUserInput('webhook_url', 'must be an absolute http(s) URL');
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUserInput('webhook_url', 'must be an http(s) URL');
    if (url.username || url.password) throw badUserInput('webhook_url', 'must not hold credentials');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !isAddressAllowed(host, allowList))
      throw badUserInput('webhook_url', `may not point at a ${refusedRange(host)} address`);
    return url.href;
  }

  return {
    Query: {
      async get_job(_root, { id }, { principal, db }) {
        requireAuthenticated(principal);
        const job = await findJob(db, id);
        // Another project's job is not found, exactly as one that does not exist.
        if (!job || !roleIn(principal, job.project_id)) throw notFound('Job', 'id');
        authorize(principal, job.project_id, 'VIEW_JOBS');
        return job;
      },
      async list_jobs(_root, args, { principal, db }) {
        authorize(principal, args.project_id, 'VIEW_JOBS');
        const { offset, limit } = pageOf(args.offset, args.limit);
        const filter = args.filter?.trim();
        const status = filter ? QUEUE_STATUSES.find((value) => value === filter.toUpperCase()) : undefined;
        // filter: a status (QUEUED, IN_PROGRESS, COMPLETED, FAILED) or an action id.
        const scoped = () =>
          selectJobs(db)
            .where('jobs.project_id', '=', args.project_id)
            .$if(Boolean(status), (query) => query.where('queue_jobs.status', '=', status!))
            .$if(Boolean(filter) && !status, (query) => query.where('jobs.action_id', '=', filter!));
        const [records, counted] = await Promise.all([
          scoped().orderBy('jobs.created_at', 'desc').orderBy('jobs.id').offset(offset).limit(limit).execute(),
          scoped()
            .clearSelect()
            .select((eb) => eb.fn.countAll<string>().as('total'))
            .executeTakeFirstOrThrow(),
        ]);
        return records.map((record) => ({ ...toJobView(record), total_count: Number(counted.total) }));
      },
      async get_project_job_statistics(_root, { project_id }, { principal, db }) {
        authorize(principal, project_id, 'VIEW_JOBS');
        return jobStatistics(db, { projectId: project_id });
      },
    },
    Mutation: {
      async run_job(_root, args, { principal, db }) {
        requireAuthenticated(principal);
        const projectId = projectIdOf(principal, args.project_id);
        authorize(principal, projectId, 'CREATE_JOBS');
        const action = actionOrNotFound(catalogue, args.action_id, 'action_id');
        if (action.deprecated) throw badUserInput('action_id', 'names a deprecated action');
        const payload = args.payload ?? {};
        validatePayload(action, payload);
        const webhookUrl = args.webhook_url ? requireWebhookUrl(args.webhook_url) : null;

        const id = randomUUID();
        const createdBy = principal.kind === 'user' ? `user:${principal.userId}` : `apiKey:${principal.keyId}`;
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('jobs')
            .values({
              id,
              action_id: action.id,
              project_id: projectId,
              request: JSON.stringify(payload),
              webhook_url: webhookUrl,
              created_by: createdBy,
              unit_price_minor: action.unit_price_minor,
              billing_request_quantity: null,
              duration_ms: null,
              cost_minor: null,
              created_at: new Date().toISOString(),
            })
            .execute();
          await enqueue(trx, { id, kind: 'action', payload: { job_id: id }, maxAttempts: settings.jobMaxAttempts });
        });
        if (args.wait_for_result) await waitUntilSettled(db, id, { timeoutMs: settings.runJobWaitMs });
        // Written just above, in this request's transaction.
        return (await findJob(db, id))!;
      },
    },
    Job: {
      // Jobs are made for catalogue actions only (run_job checks it).
      action: (job) => catalogue.byId.get(job.action_id)!,
    },
    Project: {
      __resolveReference: ({ id }) => ({ id }),
      webhook_signing_secret({ id }, _args, { principal }) {
        authorize(principal, id, 'CREATE_JOBS');
        return keyring.webhookSecret(id);
      },
    },
  };
}
