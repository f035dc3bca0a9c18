package guard

import (
	"sync"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
)

// RulesetVersion changes whenever a rule is added, removed or changes
// what it reports; verdicts and cached model reviews record it.
const RulesetVersion = "7"

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

// The deny list seed: addresses with a public, sourced reason never to
// send them anything (data/denylist, sources in data/SOURCES.md). The
// binary carries it as denySeedEntries (denyseed_gen.go), written from the
// text by go generate and checked against it by TestDenySeedGenerated: a
// one-shot check no longer parses the text, EIP-55 checksums and all, a
// twentieth of its time.
//
//go:generate go test -run ^TestDenySeedGenerated$ -update .
var denySeed = sync.OnceValue(func() *label.AddressBook {
	b, err := label.NewAddressBook(denySeedEntries[:])
	if err != nil {
		panic(err) // compiled in; a test reads it
	}
	return b
})
