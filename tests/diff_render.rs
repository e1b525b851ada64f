//! The terminal, Markdown and JSON renderings of a report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use dpol::diff::{
    compare, render_json, render_markdown, render_terminal, DiffReport, MARKDOWN_LIMIT,
    MARKDOWN_MARKER,
};
use dpol::iam::{DocKind, Document};
use serde_json::{json, Value};

fn identity(name: &str, actions: Value, origin: &str) -> Document {
    Document {
        kind: DocKind::Identity,
        name: name.to_string(),
        attach: vec!["arn:aws:iam::1:role/r".to_string()],
        document: json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": actions, "Resource": "arn:aws:dynamodb:us-east-1:1:table/Orders"}
        ]}),
        origin: origin.to_string(),
        sources: Vec::new(),
    }
}

/// One broadening change, one narrowing change, one unchanged, one unmanaged.
fn small_report() -> DiffReport {
    let compiled = [
        identity(
            "dpol-a",
            json!(["dynamodb:GetItem", "dynamodb:Scan"]),
            "out/a.json",
        ),
        identity("dpol-b", json!("dynamodb:GetItem"), "out/b.json"),
        identity("dpol-c", json!("dynamodb:GetItem"), "out/c.json"),
    ];
    let deployed = [
        identity(
            "dpol-a",
            json!("dynamodb:GetItem"),
            "iam.json: $.Policies[0]",
        ),
        identity(
            "dpol-b",
            json!(["dynamodb:GetItem", "dynamodb:Query"]),
            "iam.json: $.Policies[1]",
        ),
        identity(
            "dpol-c",
            json!("dynamodb:getitem"),
            "iam.json: $.Policies[2]",
        ),
        identity("team-policy", json!("s3:*"), "iam.json: $.Policies[3]"),
    ];
    let mut report = compare(&compiled, &deployed);
    report.inputs.deployed_files = 2;
    report
}

#[test]
fn terminal_summary_delta_and_diffs() {
    let text = render_terminal(&small_report(), false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "3 documents: 2 changed, 1 unchanged, 1 unmanaged");
    assert_eq!(lines[1], "read 2 deployed files");
    assert_eq!(lines[2], "⚠ 1 change(s) broaden access");
    // In the program's words first (no program here: names from the ARNs)…
    assert_eq!(lines[4], "Access changes:");
    assert_eq!(lines[5], "  ⚠ broadens  r gains dynamodb:scan on Orders");
    assert_eq!(lines[6], "    narrows   r loses dynamodb:query on Orders");
    // … then at the IAM level.
    assert_eq!(lines[8], "IAM-level delta:");
    assert_eq!(
        lines[9],
        "  ⚠ broadens  identity dpol-a: Allow dynamodb:getitem, dynamodb:scan on arn:aws:dynamodb:us-east-1:1:table/Orders: actions added: dynamodb:scan"
    );
    assert!(lines[10].contains("narrows") && lines[10].contains("actions removed: dynamodb:query"));
    assert!(text.contains("Unmanaged (not written by dpol, not compared): identity team-policy"));
    assert!(text.contains("--- deployed: iam.json: $.Policies[0]\n+++ compiled: out/a.json\n"));
    assert!(text.contains("\n+        \"dynamodb:scan\"\n"));
    assert!(!text.contains('\x1b'));

    let colored = render_terminal(&small_report(), true);
    assert!(colored.contains("\x1b[32m+        \"dynamodb:scan\"\x1b[0m"));
    assert!(colored.contains("\x1b[1m\x1b[31m⚠ broadens\x1b[0m"));
}

#[test]
fn markdown_comment() {
    let text = render_markdown(&small_report());
    assert!(text.starts_with(&format!(
        "{MARKDOWN_MARKER}\n### ⚠️ dpol diff — 3 documents: 2 changed"
    )));
    assert!(text.contains("> [!WARNING]\n> 1 change(s) broaden access"));
    assert!(text.contains("\n*read 2 deployed files*\n"), "{text}");
    assert!(text.contains(
        "| ⚠️ **broadens** | identity dpol-a | Allow dynamodb:getitem, dynamodb:scan on "
    ));
    assert!(
        text.contains("**Unmanaged (not written by dpol, not compared):** identity team-policy")
    );
    assert!(text.contains("<details><summary><code>identity dpol-a</code> — JSON diff</summary>\n\n```diff\n--- deployed"));
    assert!(text.contains("```\n\n</details>"));
    let table_at = text.find("| ⚠️").unwrap();
    let narrows_at = text.find("| narrows").unwrap();
    assert!(table_at < narrows_at);

    let unchanged = compare(
        &[identity("dpol-c", json!("dynamodb:GetItem"), "c")],
        &[identity("dpol-c", json!("dynamodb:GetItem"), "c")],
    );
    assert_eq!(
        render_markdown(&unchanged),
        format!("{MARKDOWN_MARKER}\n### dpol diff: no policy changes\n\n1 document: 1 unchanged (read 0 deployed files)\n")
    );
}

#[test]
fn markdown_cells_and_fences_survive_odd_text() {
    let odd = "arn:aws:dynamodb:us-east-1:1:table/A|B_`x```";
    let compiled = [Document {
        document: json!({"Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": odd}]}),
        ..identity("dpol-<odd>", json!("x"), "c")
    }];
    let deployed = [Document {
        document: json!({"Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}]}),
        ..identity("dpol-<odd>", json!("x"), "d")
    }];
    let text = render_markdown(&compare(&compiled, &deployed));
    assert!(text.contains(r"table/A\|B\_\`x\`\`\`"), "{text}");
    assert!(text.contains("<code>identity dpol-&lt;odd&gt;</code>"));
    assert!(text.contains("\n````diff\n"), "{text}");
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let many_actions = |offset: usize| -> Value {
        (0..400)
            .map(|i| json!(format!("dynamodb:Action{:05}", i * 2 + offset)))
            .collect()
    };
    let compiled: Vec<Document> = (0..40)
        .map(|i| identity(&format!("dpol-{i:03}"), many_actions(0), "c"))
        .collect();
    let deployed: Vec<Document> = (0..40)
        .map(|i| identity(&format!("dpol-{i:03}"), many_actions(1), "d"))
        .collect();
    let report = compare(&compiled, &deployed);
    let text = render_markdown(&report);
    assert!(
        text.chars().count() < MARKDOWN_LIMIT - 1_000,
        "{} characters",
        text.chars().count()
    );
    assert!(text.contains("more changes not shown"));
    assert!(text.contains("more lines not shown") || text.contains("more JSON diffs not shown"));
    assert_eq!(
        text.matches("<details>").count(),
        text.matches("</details>").count()
    );
    assert_eq!(text.matches("````").count() % 2, 0);
}

#[test]
fn json_shape_is_stable() {
    let report = small_report();
    let text = render_json(&report);
    assert_eq!(text, render_json(&small_report()));
    let value: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("  \""))
        .map(|line| line.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        ["format_version", "has_changes", "summary", "documents"]
    );
    assert_eq!(value["format_version"], 2);
    assert_eq!(value["has_changes"], true);
    assert_eq!(
        value["summary"],
        json!({"documents": 3, "added": 0, "removed": 0, "changed": 2, "unchanged": 1, "unmanaged": 1,
               "deployed_files": 2, "broadens": 1, "review": 0, "narrows": 1})
    );
    let first = &value["documents"][0];
    assert_eq!(first["kind"], "identity");
    assert_eq!(first["name"], "dpol-a");
    assert_eq!(first["status"], "changed");
    assert_eq!(
        first["compiled"],
        json!({"origin": "out/a.json", "attach": ["arn:aws:iam::1:role/r"]})
    );
    assert_eq!(
        first["access"],
        json!([{"direction": "broadens", "text": "r gains dynamodb:scan on Orders", "sources": []}])
    );
    assert_eq!(first["delta"][0]["direction"], "broadens");
    assert_eq!(first["delta"][0]["change"], "actions added: dynamodb:scan");
    assert!(first["diff"]
        .as_str()
        .unwrap()
        .starts_with("--- deployed: iam.json: $.Policies[0]\n"));
    let unmanaged = &value["documents"][3];
    assert_eq!(
        (unmanaged["status"].as_str(), &unmanaged["compiled"]),
        (Some("unmanaged"), &Value::Null)
    );
}
