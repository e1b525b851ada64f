// Validate policy documents with @cloud-copilot/iam-policy, one validator per policy type.
// Usage: node validate.mjs KIND FILE [KIND FILE ...]
//        node validate.mjs '[{"kind":"identity","path":"p.json"}, ...]'
// KIND is identity | scp | rcp | vpc_endpoint | resource. Exits 1 if any document has errors, 2 on bad usage.
import { readFileSync } from 'node:fs'
import {
  lintResourcePolicy,
  validateEndpointPolicy,
  validateIdentityPolicy,
  validateResourceControlPolicy,
  validateServiceControlPolicy
} from '@cloud-copilot/iam-policy'
import { unknownOperatorErrors } from './operators.mjs'

const validators = {
  identity: validateIdentityPolicy,
  scp: validateServiceControlPolicy,
  rcp: validateResourceControlPolicy,
  vpc_endpoint: validateEndpointPolicy,
  // validateResourcePolicy does not require Principal; the lint variant does (and also reports
  // duplicate Sids and empty actions).
  resource: lintResourcePolicy
}

// iam-policy accepts any string Sid, but IAM identity policies allow only [A-Za-z0-9].
function harnessErrors(kind, doc) {
  const badSids = [doc?.Statement ?? []]
    .flat()
    .flatMap((statement, i) =>
      kind === 'identity' && typeof statement?.Sid === 'string' && !/^[A-Za-z0-9]*$/.test(statement.Sid)
        ? [{ path: `Statement[${i}].Sid`, message: 'Sid must match [A-Za-z0-9]* in an identity policy (harness check)' }]
        : []
    )
  return [...unknownOperatorErrors(doc), ...badSids]
}

function validate({ kind, path }) {
  const validator = validators[kind]
  if (!validator) return { path, kind, errors: [{ path: '', message: `unknown kind ${kind}` }] }
  let doc
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    return { path, kind, errors: [{ path: '', message: String(err.message) }] }
  }
  return { path, kind, errors: [...validator(doc), ...harnessErrors(kind, doc)] }
}

const args = process.argv.slice(2)
let items
if (args.length === 1 && args[0].trim().startsWith('[')) {
  items = JSON.parse(args[0])
} else if (args.length > 0 && args.length % 2 === 0) {
  items = []
  for (let i = 0; i < args.length; i += 2) items.push({ kind: args[i], path: args[i + 1] })
} else {
  console.error('usage: node validate.mjs KIND FILE [KIND FILE ...] | node validate.mjs \'[{"kind":..,"path":..}]\'')
  process.exit(2)
}
const results = items.map(validate)
process.stdout.write(JSON.stringify({ results }, null, 2) + '\n')
process.exitCode = results.some((r) => r.errors.length > 0) ? 1 : 0
