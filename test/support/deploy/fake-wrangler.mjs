#!/usr/bin/env node
// A stand-in for the wrangler CLI (no Cloudflare account is reachable from tests): it records each call as a JSON
// line in $FAKE_WRANGLER_LOG and answers from the account state in $FAKE_WRANGLER_STATE, printing listings in
// wrangler 4's formats. A deploy's --secrets-file is recorded with the call, since the deploy script deletes it.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const print = (text) => process.stdout.write(`${text}\n`);

const args = process.argv.slice(2);
const statePath = process.env.FAKE_WRANGLER_STATE;
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const save = () => writeFileSync(statePath, JSON.stringify(state));
const entry = { args };
const at = args.indexOf('--secrets-file');
if (at >= 0) entry.secrets = JSON.parse(readFileSync(args[at + 1], 'utf8'));
appendFileSync(process.env.FAKE_WRANGLER_LOG, `${JSON.stringify(entry)}\n`);

const command = args.join(' ');
const is = (prefix) => command === prefix || command.startsWith(`${prefix} `);
const fail = (message) => {
  process.stderr.write(`✘ [ERROR] ${message}\n`);
  process.exit(1);
};
if (!state.loggedIn && !is('login')) fail('You are not authenticated. Please run `wrangler login`.');
if (is('whoami')) print('You are logged in with an API Token.');
else if (is('r2 bucket list')) {
  print('Listing buckets...');
  for (const name of state.buckets)
    print(`name:           ${name}\ncreation_date:  2026-12-01T00:00:00.000Z\n`);
} else if (is('r2 bucket create')) {
  state.buckets.push(args[3]);
  save();
  print(`✅ Created bucket '${args[3]}'`);
} else if (is('queues list')) {
  print('┌──────┬──────────────────┬────────────┐\n│ id   │ name             │ producers  │');
  for (const name of state.queues) print(`├──────┼──────────────────┼────────────┤\n│ 0123 │ ${name} │ 0 │`);
  print('└──────┴──────────────────┴────────────┘');
} else if (is('queues create')) {
  state.queues.push(args[2]);
  save();
  print(`Created queue ${args[2]}.`);
} else if (is('secret list')) {
  if (!state.workerExists) fail('This Worker does not exist on your account. [code: 10007]');
  print(JSON.stringify(state.secrets.map((name) => ({ name, type: 'secret_text' }))));
} else if (is('deploy')) print('Uploaded modalfuse\nDeployed modalfuse triggers');
else fail(`the fake wrangler does not know "${args.join(' ')}"`);
