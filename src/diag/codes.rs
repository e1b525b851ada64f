//! Every diagnostic code, its severity, its title and its long explanation.
//!
//! Errors are `E` + four digits grouped by stage: `E01xx` syntax and input,
//! `E02xx` names, `E03xx` values and types, `E04xx` policy semantics and
//! output limits, `E09xx` internal. Warnings are `W` + four digits. Each code
//! has `codes/CODE.md`, printed by `dpol explain CODE`; its ```` ```dpol ````
//! example is compiled by a test to prove that it triggers the code.

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $sev:ident, $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as users see it: `E0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// A one-line summary, used as the SARIF rule name and in `dpol explain --list`.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// The long explanation (Markdown).
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => include_str!(concat!("codes/", $code, ".md")),)* }
            }
        }
    };
}

codes! {
    SyntaxError = "E0101", Error, "syntax error";
    InvalidEncoding = "E0102", Error, "source is not UTF-8 text";
    EmptyProgram = "E0103", Error, "the program has no statements";
    ReadError = "E0104", Error, "a source file or directory cannot be read";
    UnknownName = "E0201", Error, "unknown name";
    DuplicateDefinition = "E0202", Error, "duplicate definition";
    WrongKind = "E0203", Error, "a name of the wrong kind";
    NoTable = "E0204", Error, "a grant names no table";
    NoAccount = "E0205", Error, "no account for a declaration";
    NoRegion = "E0206", Error, "no region for a declaration";
    UnknownAction = "E0207", Error, "unknown DynamoDB action";
    UnknownAttribute = "E0208", Error, "attribute not declared on the table";
    AmbiguousName = "E0209", Error, "a name that means two things";
    BadAccountId = "E0301", Error, "malformed account id";
    BadVpcId = "E0302", Error, "malformed VPC id";
    BadEndpointId = "E0303", Error, "malformed VPC endpoint id";
    BadOrgId = "E0304", Error, "malformed organization id";
    BadOuId = "E0305", Error, "malformed organizational unit id";
    BadArn = "E0306", Error, "malformed ARN";
    BadCidr = "E0307", Error, "malformed IP address or CIDR block";
    BadDate = "E0308", Error, "malformed date";
    BadRegion = "E0309", Error, "malformed region";
    BadName = "E0310", Error, "a name AWS does not accept";
    KeyTypeMismatch = "E0311", Error, "key set does not match the key type";
    EmptyRange = "E0312", Error, "empty or inverted key range";
    VariableInRange = "E0313", Error, "policy variable inside a numeric range";
    BadVariable = "E0314", Error, "malformed policy variable";
    KeysOnScan = "E0401", Error, "key restriction on an action that carries no key";
    AttrsOnItemReplace = "E0402", Error, "attribute restriction on a write that replaces whole items";
    IpWithVia = "E0403", Error, "`from ip` together with `via`";
    EndpointRegion = "E0404", Error, "endpoint in a different region from the table";
    ConditionOnDeny = "E0405", Error, "a deny with conditions";
    DuplicateClause = "E0406", Error, "a clause given twice";
    RestrictionOnAll = "E0407", Error, "key or attribute restriction on every table";
    NoOrg = "E0408", Error, "`only org` without an `org` declaration";
    BadAlertTarget = "E0409", Error, "alert target is not an SNS, SQS, Lambda or event bus ARN";
    PolicyTooLarge = "E0410", Error, "a policy exceeds its size limit";
    TooManyPolicies = "E0411", Error, "too many policies for one target";
    InvalidOutput = "E0412", Error, "a compiled document is not valid for its policy type";
    Internal = "E0999", Error, "internal error";
    NoBreakglass = "W0001", Warning, "private table without a break-glass role";
    ManagementInScope = "W0002", Warning, "SCP scope includes the management account";
    AttributeDenyList = "W0003", Warning, "attribute deny-list";
    FullAdmin = "W0004", Warning, "full administration of every table";
    Expired = "W0005", Warning, "time-bound grant already expired";
    NoKeyDeclared = "W0006", Warning, "attribute restriction on a table with no declared key";
    DataEventAlert = "W0007", Warning, "alert on a data-plane or read-only event";
}

impl Code {
    /// Parses `E0201` (case-insensitive).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
