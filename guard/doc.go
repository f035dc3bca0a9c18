// Package guard turns a decoded input into a verdict: every rule of one
// registry runs over it, each finding carries a stable rule ID, a
// severity, a plain-English explanation, the path of its evidence in the
// decoded structure and advice. The verdict's level is the worst finding.
//
// A model's review reaches guard as data (ModelReview) and can only raise
// the level: the deterministic rules are the floor. guard does no I/O and
// never imports prompts or tui.
package guard
