// Package report renders a verdict for whoever reads it: text for a
// terminal or a pipe, one JSON document for programs, SARIF for code
// scanning, and Markdown for pull-request comments and job summaries.
// It also renders the rule registry (txguard rules).
//
// Every format says the level in words, never by colour alone, and says
// which findings came from the local model rather than from a rule: a
// reader must be able to tell the deterministic floor from the model's
// opinion. report only writes; it decides nothing about the verdict.
package report
