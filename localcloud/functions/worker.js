'use strict'
// One function instance, as SCF runs it: a process that loads one bundle and serves one invocation at a time.
// Plain CommonJS (not TypeScript) so it starts without a loader; the host forks it with
// `node worker.js <bundle>` and talks over IPC:
//   host -> worker  {type:'invoke', id, env, event, context}
//   worker -> host  {type:'ready'} | {type:'load-error', error} | {type:'result', id, ok, json?, error?, cpuMs, sequential} | {type:'crash', id, error}
// cpuMs is the process's CPU time (user + system) during the invocation: one invocation at a time, so it is its own.
// The per-invocation env (WX_OPENID, WX_API_TOKEN, ...) is written to process.env before main() runs,
// because wx-server-sdk's getWXContext() and the node-sdk read process.env at call time.

const http = require('node:http')

const bundle = process.argv[2]
let main = null
let current = null

// Requests to the cloud one after another (docs/LOCALCLOUD.md, "Round trips"): a request sent while another of the
// invocation is still waiting for its answer runs alongside it and adds no wait of its own. Counted here, where the
// SDK sends them, since the server cannot tell two requests sent together from two sent one after the other.
let inFlight = 0
let sequential = 0
const sendRequest = http.request
http.request = function request (...args) {
  const req = sendRequest.apply(this, args)
  const target = args.find((a) => typeof a === 'string' || a instanceof URL || (a && typeof a === 'object' && 'path' in a))
  const path = typeof target === 'string' ? target : target instanceof URL ? target.pathname : (target && target.path) || ''
  if (current !== null && /\/admin(\?|$)/.test(String(path))) {
    if (inFlight === 0) sequential++
    inFlight++
    let open = true
    const settle = () => { if (open) { open = false; inFlight-- } }
    // On the answer's end, before the SDK's own promise resolves (its listener was added first, it resolves later).
    req.once('response', (res) => { res.once('end', settle); res.once('close', settle) })
    req.once('error', settle)
    req.once('close', settle)
  }
  return req
}

function describe (err) {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  let message
  try { message = typeof err === 'string' ? err : JSON.stringify(err) } catch { message = String(err) }
  return { name: 'Error', message: String(message) }
}

function send (msg, then) {
  if (process.connected) process.send(msg, then)
  else if (then) then()
}

function die (err) {
  // Like SCF, an error that escapes the invocation kills the instance; the host replaces it.
  send({ type: 'crash', id: current, error: describe(err) }, () => process.exit(1))
  setTimeout(() => process.exit(1), 1000).unref()
}

process.on('uncaughtException', die)
process.on('unhandledRejection', die)
// When the gateway goes away (even by SIGKILL) the IPC channel closes: do not linger as an orphan.
process.on('disconnect', () => process.exit(0))

process.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return
  for (const [key, value] of Object.entries(msg.env || {})) {
    if (value === null || value === undefined) delete process.env[key]
    else process.env[key] = String(value)
  }
  current = msg.id
  const cpuAtStart = process.cpuUsage()
  inFlight = 0
  sequential = 0
  const cpuMs = () => { const d = process.cpuUsage(cpuAtStart); return Math.round((d.user + d.system) / 100) / 10 }
  try {
    const value = await main(msg.event, msg.context)
    let json
    try {
      json = JSON.stringify(value)
    } catch (err) {
      throw new Error('the function returned a value that is not JSON: ' + err.message)
    }
    send({ type: 'result', id: msg.id, ok: true, json: json === undefined ? 'null' : json, cpuMs: cpuMs(), sequential })
  } catch (err) {
    send({ type: 'result', id: msg.id, ok: false, error: describe(err), cpuMs: cpuMs(), sequential })
  } finally {
    current = null
  }
})

try {
  const mod = require(bundle)
  main = typeof mod.main === 'function' ? mod.main : (mod.default && typeof mod.default.main === 'function' ? mod.default.main : null)
  if (!main) throw new Error(bundle + ' does not export main(event, context)')
  send({ type: 'ready' })
} catch (err) {
  send({ type: 'load-error', error: describe(err) }, () => process.exit(1))
}
