// Workflows that ask about their patches when a run starts (askPatchesAtStart)
// must list every patch they use: one left out is asked about where it was
// written, and can again meet a task a query split (workflows/patches.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CONVERSATION_PATCHES } from '../../workflows/conversation';
import { ONBOARDING_PATCHES } from '../../workflows/onboarding';

const used = (file: string) => [...readFileSync(path.join(__dirname, '..', '..', 'workflows', file), 'utf8').matchAll(/\bpatched\('([^']+)'\)/g)].map((m) => m[1]!);

for (const [file, listed] of [['conversation.ts', CONVERSATION_PATCHES], ['onboarding.ts', ONBOARDING_PATCHES]] as const) {
  test(`${file} lists every patch it asks about`, () => {
    const ids = used(file);
    assert.ok(ids.length > 0);
    assert.deepEqual([...new Set(ids)].filter((id) => !(listed as readonly string[]).includes(id)), []);
  });
}
