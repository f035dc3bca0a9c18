package guard

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
)

// RulesetVersion changes whenever a rule is added, removed or changes
// what it reports; verdicts and cached model reviews record it.
const RulesetVersion = "6"

// Rule is one deterministic check. Its ID never changes meaning.
type Rule struct {
	ID          string
	Name        string
	Severity    Level // the worst level it reports
	Description string
	check       func(*Context, *Rule) []Finding
}

// finding builds a finding of this rule.
func (r *Rule) finding(sev Level, title, explanation, evidence, advice string) Finding {
	return Finding{Rule: r.ID, Name: r.Name, Severity: sev, Title: title, Explanation: explanation,
		Evidence: evidence, Advice: advice, Source: SourceRules}
}

// Rules lists every rule, in ID order.
func Rules() []Rule { return registry }

// Check runs every rule over a decoded input.
func Check(in *decode.Result, cfg Config) *Verdict {
	if cfg.Sim != nil {
		sim := *cfg.Sim // the caller's stays as the node gave it
		sim.Changes = changes(&sim)
		cfg.Sim = &sim
	}
	ctx := newContext(in, cfg)
	v := &Verdict{RulesetVersion: RulesetVersion, Intent: cfg.Intent, Decoded: in, Code: cfg.Code, Simulation: cfg.Sim, Findings: []Finding{}}
	for i := range registry {
		r := &registry[i]
		for _, f := range r.check(ctx, r) {
			v.Findings = append(v.Findings, f)
			v.RulesLevel = max(v.RulesLevel, f.Severity)
		}
	}
	v.Coverage = coverage(ctx)
	sortFindings(v.Findings)
	v.Level = v.RulesLevel
	return v
}

// The embedded deny list seed: addresses with a public, sourced reason
// never to send them anything (see data/SOURCES.md).
//
//go:embed data/denylist
var denySeedText string

var denySeed = sync.OnceValue(func() *label.AddressBook {
	b, err := label.ParseAddressBook(strings.NewReader(denySeedText), "guard/data/denylist")
	if err != nil {
		panic(err) // embedded; a test parses it
	}
	return b
})
