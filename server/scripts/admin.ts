import { runCli } from '../src/admin/cli';

// `npm run admin -- <command>`: see `npm run admin -- --help`.
process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
