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
        pub enum Code { $(#[doc = $title] $variant,)* }

        impl Code {
            /// Every code, in the order of the table below.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as users see it: `E0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// Whether a diagnostic of this code is an error or a warning.
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
    ReadError = "E0104", Error, "a file or directory cannot be read or written";
    DeployedUnreadable = "E0105", Error, "deployed policies cannot be read";
    DuplicateKey = "E0106", Error, "a deployed input has a duplicate JSON key";
    IncompleteOutput = "E0107", Error, "deployed state is incomplete";
    DefaultVersion = "E0108", Error, "a managed policy has no single default version";
    NotDpolOutput = "E0109", Error, "the output directory is not dpol's to replace";
    NotRegularFile = "E0110", Error, "an input is a FIFO, device or socket";
    FileTooLarge = "E0111", Error, "an input file exceeds the size limit";
    SymlinkCycle = "E0112", Error, "a symbolic-link cycle among the source directories";
    NulByte = "E0113", Error, "a source contains a NUL byte";
    BadRequest = "E0114", Error, "a request to evaluate names what the program does not declare";
    UnknownName = "E0201", Error, "unknown name";
    DuplicateDefinition = "E0202", Error, "duplicate definition";
    WrongKind = "E0203", Error, "a name of the wrong kind";
    NoTable = "E0204", Error, "a grant names no table";
    NoAccount = "E0205", Error, "no account for a declaration";
    NoRegion = "E0206", Error, "no region for a declaration";
    UnknownAction = "E0207", Error, "unknown DynamoDB action";
    UnknownAttribute = "E0208", Error, "attribute not declared on the table";
    AmbiguousName = "E0209", Error, "a name that means two things";
    CaseCollision = "E0210", Error, "names that differ only in case";
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
    IndexScope = "E0413", Error, "an index that does not say whether it is global or local";
    ActionNotOnTable = "E0414", Error, "an action that does not act on a table, granted on one";
    MixedPartitions = "E0415", Error, "declarations in more than one AWS partition";
    IndexGrant = "E0416", Error, "`index` on a grant that cannot use it";
    AllTablesScope = "E0417", Error, "`table *` without a scope, or enforced by a resource policy";
    EmptyWindow = "E0418", Error, "a `from … until` window that contains no instant";
    DenyListLimitsOtherGrant = "E0419", Error, "an `except attrs` deny-list that would limit another grant";
    BadExpectation = "E0420", Error, "an expectation that is not one request";
    ExpectationFailed = "E0421", Error, "an expectation the compiled policies do not meet";
    AssertionFailed = "E0422", Error, "an assertion a request of its universe breaks";
    GroupAcrossAccounts = "E0423", Error, "a grant to a group on a table in another account";
    Internal = "E0999", Error, "internal error";
    NoBreakglass = "W0001", Warning, "private table without a break-glass role";
    ManagementInScope = "W0002", Warning, "SCP scope includes the management account";
    AttributeDenyList = "W0003", Warning, "attribute deny-list";
    FullAdmin = "W0004", Warning, "full administration of every table";
    Expired = "W0005", Warning, "time-bound grant already expired";
    NoKeyDeclared = "W0006", Warning, "attribute restriction on a table with no declared key";
    DataEventAlert = "W0007", Warning, "alert on a data-plane or read-only event";
    UpdateTableIsBroad = "W0008", Warning, "`scales` grants UpdateTable, which changes more than capacity";
    StrictPerimeter = "W0009", Warning, "a perimeter with no exceptions for AWS services";
    UnpinnedBreakglass = "W0010", Warning, "a break-glass role not pinned to an account";
    EndpointBlocksGrant = "W0011", Warning, "a `via` grant its endpoint's policy does not let through";
    DeployerUnderRcp = "W0012", Warning, "deployer roles under an RCP perimeter";
    DuplicateGrant = "W0013", Warning, "a grant written more than once";
    EndpointLeftAlone = "W0014", Warning, "a `via` endpoint whose policy dpol leaves as deployed";
    CrossAccountGrant = "W0015", Warning, "a grant across accounts with actions DynamoDB does not allow across accounts, or on a stream";
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

#[cfg(test)]
mod tests {
    use super::Code;
    use crate::diag::Diagnostic;
    use crate::source::SourceMap;

    /// Codes whose ```` ```dpol,CODE ```` block is a `<…>` placeholder, and
    /// where the code is proven instead.
    const PLACEHOLDERS: &[(Code, &str)] = &[
        // Bytes that are not UTF-8 cannot be written in Markdown: see
        // `invalid_encoding_is_reported`.
        (Code::InvalidEncoding, "<invalid UTF-8>"),
        // A path, not a program: see `unreadable_path_is_reported`.
        (Code::ReadError, "<unreadable path>"),
        // A deployed input, not a program: see tests/cli.rs
        // `diff_reports_bad_deployed_input`.
        (Code::DeployedUnreadable, "<deployed JSON>"),
        // Deployed inputs, not programs: see tests/diff_readers_refuse.rs.
        (Code::DuplicateKey, "<deployed JSON>"),
        (Code::IncompleteOutput, "<deployed JSON>"),
        (Code::DefaultVersion, "<deployed JSON>"),
        // A directory, not a program: see tests/output_dir.rs.
        (Code::NotDpolOutput, "<a directory dpol did not write>"),
        // File types, sizes and links, not programs: see tests/source_loading.rs.
        (Code::NotRegularFile, "<a FIFO, device or socket>"),
        (Code::FileTooLarge, "<a file over the size limit>"),
        (Code::SymlinkCycle, "<a directory link to an ancestor>"),
        // A command line, not a program: see tests/why.rs.
        (Code::BadRequest, "<command line>"),
        // A NUL byte cannot be written in Markdown: see `nul_byte_is_reported`.
        (Code::NulByte, "<a NUL byte>"),
        // No program is known to trigger an internal error.
        (Code::Internal, "<none>"),
        // The output validator is an internal guard: the checker refuses
        // first everything known to fail it.
        (Code::InvalidOutput, "<none>"),
        // Thousands of characters long: see `oversized_statement_is_reported`.
        (Code::PolicyTooLarge, "<generated: see tests>"),
    ];

    /// The fenced blocks of a Markdown text: (info string, body).
    fn blocks(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut open: Option<(String, String)> = None;
        for line in text.lines() {
            match open.take() {
                None => {
                    if let Some(info) = line.strip_prefix("```") {
                        open = Some((info.trim().to_string(), String::new()));
                    }
                }
                Some((info, body)) if line.trim_end() == "```" => out.push((info, body)),
                Some((info, mut body)) => {
                    body.push_str(line);
                    body.push('\n');
                    open = Some((info, body));
                }
            }
        }
        assert!(open.is_none(), "unclosed code block");
        out
    }

    fn compile(text: &str) -> (Option<Vec<crate::emit::Compiled>>, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        sources.add("example.dpol", None, text.to_string());
        crate::compile(&sources)
    }

    fn shown(diags: &[Diagnostic]) -> Vec<String> {
        diags
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    }

    #[test]
    fn every_explanation_starts_with_its_code() {
        for &code in Code::ALL {
            let prefix = format!("# {code}: ");
            assert!(
                code.explanation().starts_with(&prefix),
                "{code}.md must start with `{prefix}`"
            );
        }
    }

    #[test]
    fn every_example_triggers_its_code_and_every_fix_is_clean() {
        for &code in Code::ALL {
            let tagged = format!("dpol,{code}");
            let mut examples = 0;
            for (info, body) in blocks(code.explanation()) {
                if info == tagged {
                    examples += 1;
                    let text = body.trim();
                    if text.starts_with('<') && text.ends_with('>') && !text.contains('\n') {
                        assert!(
                            PLACEHOLDERS.contains(&(code, text)),
                            "{code}: unexpected placeholder `{text}`"
                        );
                        continue;
                    }
                    let diags = if matches!(code, Code::ExpectationFailed | Code::AssertionFailed) {
                        // Found by `dpol test`, not by the compiler.
                        let mut sources = SourceMap::new();
                        sources.add("example.dpol", None, body.clone());
                        crate::expect::test_program(&sources, "2026-12-01T00:00:00Z", &[])
                    } else {
                        compile(&body).1
                    };
                    assert!(
                        diags.iter().any(|d| d.code == code),
                        "{code}: the example does not produce {code}; it produces {:?}",
                        shown(&diags)
                    );
                } else if info == "dpol" {
                    let (docs, diags) = compile(&body);
                    assert!(
                        diags.is_empty(),
                        "{code}: a plain example has diagnostics: {:?}\n{body}",
                        shown(&diags)
                    );
                    assert!(
                        docs.is_some(),
                        "{code}: a plain example compiles to nothing"
                    );
                } else {
                    assert!(
                        !info.starts_with("dpol"),
                        "{code}: unexpected code block `{info}`"
                    );
                }
            }
            assert_eq!(
                examples, 1,
                "{code}: expected exactly one ```{tagged} block"
            );
        }
    }

    #[test]
    fn every_explanation_file_is_a_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diag/codes");
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "md") {
                files += 1;
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                let code = Code::parse(&stem);
                assert!(
                    code.is_some_and(|c| c.as_str() == stem),
                    "{} is not the explanation of a code",
                    path.display()
                );
            }
        }
        assert_eq!(files, Code::ALL.len());
    }

    #[test]
    fn invalid_encoding_is_reported() {
        let mut sources = SourceMap::new();
        let mut diags = Vec::new();
        let bytes = b"account prod = 1111\xff22223333\n".to_vec();
        crate::load::add_bytes(&mut sources, &mut diags, "example.dpol".into(), None, bytes);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::InvalidEncoding);
    }

    #[test]
    fn nul_byte_is_reported() {
        let mut sources = SourceMap::new();
        let mut diags = Vec::new();
        let bytes = b"account prod = 1111\x0022223333\n".to_vec();
        crate::load::add_bytes(&mut sources, &mut diags, "example.dpol".into(), None, bytes);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::NulByte);
    }

    #[test]
    fn unreadable_path_is_reported() {
        let missing = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/diag/codes/no-such-directory/example.dpol");
        let result = crate::load::load(&[missing]);
        assert!(matches!(result, Err(d) if d.code == Code::ReadError));
    }

    /// The program E0410.md describes: one grant listing 500 partition keys.
    #[test]
    fn oversized_statement_is_reported() {
        let keys: Vec<String> = (0..500)
            .map(|i| format!("\"eu#customer-{i:04}\""))
            .collect();
        let text = format!(
            "account prod = 111122223333\nregion us-east-1\n\
             table Orders in prod {{ key customer: string }}\nrole Support in prod\n\
             Support reads Orders keys {}\n",
            keys.join(", ")
        );
        let (docs, diags) = compile(&text);
        assert!(docs.is_none());
        assert!(
            diags.iter().any(|d| d.code == Code::PolicyTooLarge),
            "{:?}",
            shown(&diags)
        );
    }
}
