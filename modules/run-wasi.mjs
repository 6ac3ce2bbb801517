// Runs a WASI preview1 command module under node's node:wasi, with this process's stdin/stdout/stderr.
//
//   node --no-warnings run-wasi.mjs [-e KEY=VAL]... [--dir HOST[:GUEST]]... [--entry NAME] [--trace]
//        module.wasm [args...]
//
// --trace logs every fd_write / fd_read call to stderr as "[run-wasi] fd_write fd=F len=N" (N = total iovec
// length asked for) and "[run-wasi] fd_read fd=F nread=N", to check how a module splits its output.
//
// argv[0] seen by the module is the file name of module.wasm. --entry calls another export instead of
// _start (a WAGI entrypoint). When done, one status line goes to stderr:
//   [run-wasi] exit=N proc_exit_called=no|yes(N)      (normal return or proc_exit)
//   [run-wasi] trap=<message>                          (wasm trap; process exit status 3)
// The process exits with the module's exit code (0 when it returned normally).
import { readFile } from 'node:fs/promises';
import { fstatSync, openSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { argv, exit, stderr } from 'node:process';

const env = {}; const preopens = {}; let entry = '_start'; let trace = false; let i = 2;
for (; i < argv.length; i++) {
  if (argv[i] === '-e') { const [k, ...v] = argv[++i].split('='); env[k] = v.join('='); }
  else if (argv[i] === '--dir') { const [h, g] = argv[++i].split(':'); preopens[g ?? h] = h; }
  else if (argv[i] === '--entry') { entry = argv[++i]; }
  else if (argv[i] === '--trace') { trace = true; }
  else break;
}
if (i >= argv.length) { stderr.write('usage: run-wasi.mjs [-e K=V]... [--dir H[:G]]... [--entry NAME] [--trace] module.wasm [args...]\n'); exit(2); }
const file = argv[i]; const args = [file.split('/').pop(), ...argv.slice(i + 1)];
// node may leave fd 0 non-blocking when it is a pipe/FIFO; the module would then see EAGAIN from fd_read
// instead of blocking. Reopening the FIFO gives a new, blocking open file description.
let stdinFd = 0;
try { if (fstatSync(0).isFIFO()) stdinFd = openSync('/proc/self/fd/0', 'r'); } catch { stdinFd = 0; }
const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true, stdin: stdinFd, stdout: 1, stderr: 2 });
const imports = wasi.getImportObject();
let procExit = null; const origExit = imports.wasi_snapshot_preview1.proc_exit;
imports.wasi_snapshot_preview1.proc_exit = (c) => { procExit = c; return origExit(c); };
let inst;
if (trace) {
  const p1 = imports.wasi_snapshot_preview1; const origWrite = p1.fd_write; const origRead = p1.fd_read;
  const view = () => new DataView(inst.exports.memory.buffer);
  p1.fd_write = (fd, iovs, n, nw) => {
    let len = 0; for (let k = 0; k < n; k++) len += view().getUint32(iovs + 8 * k + 4, true);
    stderr.write(`[run-wasi] fd_write fd=${fd} len=${len}\n`);
    return origWrite(fd, iovs, n, nw);
  };
  p1.fd_read = (fd, iovs, n, nr) => {
    const r = origRead(fd, iovs, n, nr);
    stderr.write(`[run-wasi] fd_read fd=${fd} errno=${r} nread=${r === 0 ? view().getUint32(nr, true) : 0}\n`);
    return r;
  };
}
try {
  inst = await WebAssembly.instantiate(await WebAssembly.compile(await readFile(file)), imports);
} catch (e) { stderr.write(`[run-wasi] load-error=${e.message}\n`); exit(4); }
const target = entry === '_start' ? inst : { exports: { memory: inst.exports.memory, _start: inst.exports[entry] } };
if (typeof target.exports._start !== 'function') { stderr.write(`[run-wasi] no export ${entry}\n`); exit(2); }
let code;
try {
  code = wasi.start(target);
} catch (e) {
  if (e instanceof WebAssembly.RuntimeError) { stderr.write(`[run-wasi] trap=${e.message}\n`); exit(3); }
  throw e;
}
stderr.write(`[run-wasi] exit=${code ?? 0} proc_exit_called=${procExit !== null ? `yes(${procExit})` : 'no'}\n`);
exit(code ?? 0);
