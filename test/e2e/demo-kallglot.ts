// The Kallglot fake (with its storage) that a spec file's tests share: the demo sessions at
// the Pro tier (300 requests a minute), since the app's syncs in one file meet the same fake
// within a minute. Started before the file's first test and closed after its last.
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import { startFakeKallglot, type FakeKallglot } from '../fakes/kallglot.ts';
import { kallglotDemoSessions } from '../fakes/seed.ts';
import { test } from './bridge-fixture.ts';

export interface DemoKallglot {
  readonly kallglot: FakeKallglot;
  readonly storage: FakeStorage;
}

export function demoKallglotForFile(): DemoKallglot {
  let storage: FakeStorage | undefined;
  let kallglot: FakeKallglot | undefined;
  test.beforeAll(async () => {
    storage = await createFakeStorage();
    kallglot = await startFakeKallglot({
      rateLimitPerMinute: 300,
      storage,
      sessions: kallglotDemoSessions(),
    });
  });
  test.afterAll(async () => {
    await kallglot?.close();
    await storage?.close();
  });
  const started = <T>(fake: T | undefined): T => {
    if (fake === undefined) throw new Error('the demo Kallglot fake is used before beforeAll');
    return fake;
  };
  return {
    get kallglot() {
      return started(kallglot);
    },
    get storage() {
      return started(storage);
    },
  };
}
