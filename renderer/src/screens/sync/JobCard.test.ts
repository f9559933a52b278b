import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeApi } from '../../test-support/fake-api.ts';
import { allArchived, jobView } from '../../test-support/views.ts';
import { JobsState } from '../../state/jobs.svelte.ts';
import JobCard from './JobCard.svelte';

afterEach(cleanup);

function badgeOf(overrides: Parameters<typeof jobView>[1]) {
  const jobs = new JobsState(createFakeApi());
  render(JobCard, { props: { job: jobView(7, overrides), jobs } });
  return screen.getByTestId('job-state-badge');
}

describe('JobCard: the job state badge', () => {
  it('is a coloured badge with an icon and words, like the library’s, one look per outcome', () => {
    const done = badgeOf(allArchived(3));
    expect(done.textContent).toBe('✓Done');
    expect(done.querySelector('[aria-hidden="true"]')!.textContent).toBe('✓');
    expect(done.className).toContain('tone-ok');
    cleanup();
    const problems = badgeOf({
      ...allArchived(3),
      totals: { ...allArchived(3).totals!, failed: 1 },
    });
    expect(problems.textContent).toBe('⚠Done with problems');
    expect(problems.className).toContain('tone-danger');
    cleanup();
    const running = badgeOf({});
    expect(running.textContent).toBe('↓Running');
    expect(running.className).toContain('tone-busy');
    expect(screen.getByTestId('job-state').textContent).toBe('Running');
  });
});
