// Condition operator names, checked by both scripts. iam-policy only tests an operator against
// /^[a-zA-Z0-9:]+$/, and iam-simulate treats an unknown operator as "never matches": a misspelt
// operator (DAT303's NumericGreaterThanOrEqualTo) silently disables an Allow or, worse, a Deny.
const baseOperators = new Set(
  [
    'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike',
    'StringNotLike', 'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals',
    'NumericGreaterThan', 'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals', 'DateLessThan',
    'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'Bool', 'BinaryEquals', 'IpAddress',
    'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'
  ].map((op) => op.toLowerCase())
)

function knownOperator(operator) {
  const base = operator.replace(/^(ForAllValues|ForAnyValue):/i, '').toLowerCase()
  return base === 'null' || baseOperators.has(base.replace(/ifexists$/, '')) // no NullIfExists
}

export function unknownOperatorErrors(doc) {
  return [doc?.Statement ?? []].flat().flatMap((statement, i) =>
    Object.keys(statement?.Condition ?? {})
      .filter((operator) => !knownOperator(operator))
      .map((operator) => ({ path: `Statement[${i}].Condition.${operator}`, message: 'Unknown condition operator (harness check)' }))
  )
}
