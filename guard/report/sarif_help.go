package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/txguard/txguard/guard"
)

// family is a group of rules by the hundreds of their ID, as the registry
// numbers them (TG1xx, …, TG10xx): what the rules look at and which command
// reports them, so that a reader who meets a rule in code scanning knows
// where it comes from.
type family struct{ about, command string }

var families = map[int]family{
	1:  {"token and NFT approvals", "txguard check"},
	2:  {"signature requests", "txguard check"},
	3:  {"transfers", "txguard check"},
	4:  {"Safe, smart-account and admin actions", "txguard check"},
	5:  {"EIP-7702 delegations", "txguard check"},
	6:  {"transaction hygiene", "txguard check"},
	7:  {"input that addresses an AI reviewer", "txguard check"},
	8:  {"contract bytecode", "txguard inspect"},
	9:  {"changes to contracts", "txguard diff"},
	10: {"what your own node simulates (quiet without --rpc)", "txguard check --rpc"},
}

func familyOf(id string) (family, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "TG"))
	if err != nil || !strings.HasPrefix(id, "TG") {
		return family{}, false
	}
	f, ok := families[n/100]
	return f, ok
}

// ruleHelp is the rule's documentation as code scanning shows it under an
// alert: what the rule looks for, the worst it reports and what that does
// to the check, and where its findings come from. What this one finding is
// about and what to do is in each result's message, which the rule cannot
// know in advance.
func ruleHelp(r guard.Rule) *sarif.MultiformatMessageString {
	worst := fmt.Sprintf("Reported at most as %s (SARIF %s, security severity %s); each finding carries its own level, up to that.",
		r.Severity, sarifLevel(r.Severity), securitySeverity[r.Severity])
	gate := gateSentence(r.Severity)
	var from string
	if f, ok := familyOf(r.ID); ok {
		from = fmt.Sprintf("One of the rules on %s, reported by `%s`.", f.about, f.command)
	}
	const each = "Each alert's message says what was found, why it matters and what to do."

	text := joinNonEmpty("\n\n",
		r.ID+" "+r.Name,
		r.Description,
		worst+" "+gate,
		strings.ReplaceAll(from, "`", ""),
		each,
		"All rules: "+rulesURI)
	md := joinNonEmpty("\n\n",
		fmt.Sprintf("**%s** `%s`", r.ID, r.Name),
		mdInline(r.Description),
		fmt.Sprintf("Reported at most as **%s** (SARIF `%s`, security severity %s); each finding carries its own level, up to that. %s",
			r.Severity, sarifLevel(r.Severity), securitySeverity[r.Severity], gate),
		from,
		each,
		fmt.Sprintf("[All rules](%s)", rulesURI))
	return sarif.NewMultiformatMessageString().WithText(text).WithMarkdown(md)
}

// gateSentence says whether a finding at the rule's worst level fails the
// check with the default --fail-on (danger), so a reader knows whether the
// alert is what blocked the pull request.
func gateSentence(worst guard.Level) string {
	if worst >= guard.Danger {
		return "A finding at danger or above fails the check (exit 1) with the default --fail-on danger."
	}
	return "Its findings fail the check only with a --fail-on below the default, danger."
}

const modelDescription = "A risk the local model found in its review of the decoded input. It is the model's opinion, " +
	"not a deterministic rule: it can raise the verdict, never lower it."

// modelHelp documents the MODEL pseudo-rule: what a model finding is worth.
func modelHelp() *sarif.MultiformatMessageString {
	const trust = "The model reads the same decoded input and rule findings, fenced as data, and its answer is validated " +
		"against a schema before it counts. A model that was not asked or did not answer is a notification on the run, " +
		"never a silent pass."
	text := joinNonEmpty("\n\n", guard.ModelFinding+" model-review", modelDescription, trust,
		"How the review works: "+modelURI)
	md := joinNonEmpty("\n\n", "**"+guard.ModelFinding+"** `model-review`", modelDescription, trust,
		fmt.Sprintf("[How the review works](%s)", modelURI))
	return sarif.NewMultiformatMessageString().WithText(text).WithMarkdown(md)
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
