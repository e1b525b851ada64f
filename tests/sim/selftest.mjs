// Run simulate.mjs over probes.json and compare each decision with the case's "expect".
// The probes pin the iam-simulate behaviour dpol's tests rely on; rerun after any upgrade.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const here = (file) => new URL(file, import.meta.url).pathname
const { cases } = JSON.parse(readFileSync(here('probes.json'), 'utf8'))
const { results } = JSON.parse(execFileSync(process.execPath, [here('simulate.mjs'), here('probes.json')], { encoding: 'utf8' }))
let failed = 0
results.forEach((r, i) => {
  if (r.decision !== cases[i].expect) {
    failed++
    console.log(`FAIL ${r.name}: expected ${cases[i].expect}, got ${r.decision} (${r.detail})`)
  }
})
console.log(`${results.length - failed} passed, ${failed} failed`)
process.exitCode = failed ? 1 : 0
