// Evaluate DynamoDB requests against IAM policies with @cloud-copilot/iam-simulate.
// Usage: node simulate.mjs [cases.json]   (reads stdin when no path is given)
// Input and output formats: see README.md.
import { readFileSync } from 'node:fs'
import { lintResourcePolicy } from '@cloud-copilot/iam-policy'
import { isConditionKeyArray, runSimulation, typeForContextKey } from '@cloud-copilot/iam-simulate'
import { unknownOperatorErrors } from './operators.mjs'

const named = (prefix, docs) => (docs ?? []).map((policy, i) => ({ name: `${prefix}${i}`, policy }))

// AWS sets aws:PrincipalArn (the role ARN for an assumed-role session) and aws:PrincipalAccount on
// every signed request; iam-simulate does not, so fill them in unless the case sets them itself.
function principalContext(principal) {
  const [, partition, , , account, resource] = principal.split(':')
  const session = /^assumed-role\/([^/]+)\//.exec(resource)
  const arn = session ? `arn:${partition}:iam::${account}:role/${session[1]}` : principal
  return { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': account }
}

function toSimulation({ identityPolicies, scps, rcps, resourcePolicy, endpointPolicy, request }) {
  const { principal, action, resource, context = {} } = request
  const given = new Set(Object.keys(context).map((k) => k.toLowerCase()))
  const implied = Object.entries(principalContext(principal)).filter(([k]) => !given.has(k.toLowerCase()))
  return {
    request: {
      principal,
      action,
      // "*" (ListTables etc.) has no account field: treat it as the principal's account.
      resource: { resource, accountId: resource.split(':')[4] ?? principal.split(':')[4] },
      contextVariables: { ...Object.fromEntries(implied), ...context }
    },
    identityPolicies: named('identity', identityPolicies),
    serviceControlPolicies: (scps ?? []).map((level, i) => ({
      orgIdentifier: `scp-level${i}`,
      policies: named(`scp${i}.`, level)
    })),
    // One level per root/OU/account of the resource's account; iam-simulate adds
    // RCPFullAWSAccess to each level itself, as AWS does.
    resourceControlPolicies: (rcps ?? []).map((level, i) => ({
      orgIdentifier: `rcp-level${i}`,
      policies: named(`rcp${i}.`, level)
    })),
    resourcePolicy: resourcePolicy ?? undefined,
    vpcEndpointPolicies: endpointPolicy ? named('endpoint', [endpointPolicy]) : undefined
  }
}

// "rcp:ExplicitlyDenied[rcp0.0#DenyOrdersOutsideNetwork]", or "rcp:none" without RCP levels.
function rcpPart(rcp) {
  if (!rcp || !rcp.ouAnalysis?.length) return 'rcp:none'
  const denied = rcp.ouAnalysis.flatMap((ou) => ou.denyStatements)
  const ids = denied.map((s) => `${s.policyId}#${s.explain.identifier}`)
  return `rcp:${rcp.result}${ids.length ? `[${ids.join(',')}]` : ''}`
}

// "identity:Allowed scp:ExplicitlyDenied[scp0.0#DenyOutsideVpc] ... blockedBy:scp"
function explain(analysis) {
  // iam-simulate names the resource policy after a `name` property that a valid policy cannot have.
  const id = (s) => `${s.policyId ?? 'resourcePolicy'}#${s.explain.identifier}`
  const sids = (statements) => (statements.length ? `[${statements.map(id).join(',')}]` : '')
  // For a statement whose action and resource matched but which did not apply: the failed conditions.
  const misses = (statements) =>
    statements
      .filter((s) => s.actionMatch && s.resourceMatch && s.principalMatch !== 'NoMatch')
      .map((s) => {
        const failed = (s.explain.conditions ?? []).filter((c) => !c.matches)
        return `${id(s)} failed ${failed.map((c) => `${c.operator}(${c.conditionKeyValue})`).join('+')}`
      })
  const part = (label, a) => {
    if (!a) return `${label}:none`
    if (a.result === 'Allowed') return `${label}:Allowed${sids(a.allowStatements)}`
    if (a.denyStatements.length) return `${label}:${a.result}${sids(a.denyStatements)}`
    const why = misses(a.unmatchedStatements)
    return `${label}:${a.result}${why.length ? `{${why.join('; ')}}` : ''}`
  }
  const scp = analysis.scpAnalysis
  const scpStatements = scp.ouAnalysis.flatMap((ou) => (scp.result === 'Allowed' ? [] : ou.denyStatements))
  return [
    part('identity', analysis.identityAnalysis),
    scp.ouAnalysis.length ? `scp:${scp.result}${sids(scpStatements)}` : 'scp:none',
    rcpPart(analysis.rcpAnalysis),
    part('resource', analysis.resourceAnalysis),
    part('endpoint', analysis.endpointAnalysis),
    analysis.blockedBy ? `blockedBy:${analysis.blockedBy.join(',')}` : ''
  ].join(' ').trim()
}

// Inputs that iam-simulate would evaluate wrongly without saying so; each makes the case an Error.
async function checkCase({ identityPolicies, scps, rcps, resourcePolicy, endpointPolicy, request }) {
  const docs = [...(identityPolicies ?? []), ...(scps ?? []).flat(), ...(rcps ?? []).flat(), resourcePolicy, endpointPolicy]
  const badOperators = docs.flatMap((doc) => unknownOperatorErrors(doc).map((e) => e.path.split('.').pop()))
  if (badOperators.length) throw new Error(`unknown condition operators: ${badOperators.join(', ')}`)
  // It accepts a resource-policy statement without Principal and never applies it (a silent no-op Deny).
  const resourceErrors = resourcePolicy ? lintResourcePolicy(resourcePolicy) : []
  if (resourceErrors.length) throw new Error(`resource policy: ${JSON.stringify(resourceErrors)}`)
  // It substitutes ${...} variables whatever the Version; AWS leaves them literal unless 2012-10-17.
  if (docs.some((doc) => doc && doc.Version !== '2012-10-17' && JSON.stringify(doc).includes('${'))) {
    throw new Error('policy variables need "Version": "2012-10-17" (iam-simulate would substitute them anyway)')
  }
  // It compares an all-digit date (epoch seconds) with an ISO date in milliseconds.
  const epochDates = docs
    .flatMap((doc) => [doc?.Statement ?? []].flat())
    .flatMap((st) => Object.entries(st?.Condition ?? {}).filter(([op]) => /date/i.test(op)))
    .flatMap(([, keys]) => Object.values(keys ?? {}).flat())
    .filter((v) => /^\d+$/.test(String(v)))
  if (epochDates.length) throw new Error(`epoch dates in policy conditions are not supported: ${epochDates.join(', ')}`)
  // It keeps only the first element of an array given for a single-valued key, treats [] as a
  // present key (so a Null "false" guard passes), and throws on non-string values.
  for (const [key, value] of Object.entries(request.context ?? {})) {
    const type = await typeForContextKey(key) // throws on an unknown key
    const multi = isConditionKeyArray(type)
    if (Array.isArray(value) ? !value.every((v) => typeof v === 'string') : typeof value !== 'string') {
      throw new Error(`context ${key}: values must be strings`)
    }
    if (Array.isArray(value) && !multi) throw new Error(`context ${key} is single-valued: pass a string`)
    if (Array.isArray(value) && value.length === 0) throw new Error(`context ${key}: [] is not supported, omit the key`)
    if (type === 'Date' && /^\d+$/.test(value)) throw new Error(`context ${key}: use an ISO 8601 date, not epoch seconds`)
  }
}

async function evaluate(testCase) {
  const name = testCase?.name ?? null
  try {
    await checkCase(testCase)
    const simulation = toSimulation(testCase)
    const response = await runSimulation(simulation, { simulationMode: 'Strict' })
    if (response.resultType === 'error') {
      return { name, decision: 'Error', detail: JSON.stringify(response.errors) }
    }
    // A wildcard resource makes iam-simulate answer "is any matching resource allowed?".
    if (response.resultType === 'wildcard') {
      return { name, decision: 'Error', detail: 'request.resource must be one concrete ARN' }
    }
    // iam-simulate silently drops context keys that the action does not support (LeadingKeys on
    // Scan); a test that relies on such a key would pass for the wrong reason, so refuse it.
    const ignored = response.result.ignoredContextKeys ?? []
    if (ignored.length) {
      return { name, decision: 'Error', detail: `context keys not valid for ${simulation.request.action}: ${ignored.join(', ')}` }
    }
    return { name, decision: response.overallResult, detail: explain(response.result.analysis) }
  } catch (err) {
    return { name, decision: 'Error', detail: String(err?.message ?? err) }
  }
}

const input = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8'))
const results = []
for (const testCase of input.cases ?? []) results.push(await evaluate(testCase))
process.stdout.write(JSON.stringify({ results }, null, 2) + '\n')
