package guard

import (
	"cmp"
	"slices"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/evm"
)

// Sources of a finding.
const (
	SourceRules = "rules"
	SourceModel = "model"
)

// Finding is one thing a rule (or the model) found.
type Finding struct {
	Rule        string `json:"rule"`     // stable ID, e.g. TG101; the model's are MODEL
	Name        string `json:"name"`     // e.g. approve-unlimited
	Severity    Level  `json:"severity"` // this finding's level
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	// Evidence is the path into the decoded structure, e.g.
	// tx.call.calls[1].args.spender.
	Evidence string `json:"evidence,omitempty"`
	Advice   string `json:"advice,omitempty"`
	Source   string `json:"source"`
	// File and Line place a finding in a source file (diff audits): the
	// path as the diff names it and a 1-based line, 0 when unknown.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Statuses of a model review. Only StatusOK carries a level.
const (
	StatusOK          = "ok"          // a validated answer
	StatusUnavailable = "unavailable" // no server, no model, remote host refused
	StatusFailed      = "failed"      // timeout, cut stream, invalid answer
	StatusSkipped     = "skipped"     // --no-llm, --batch
)

// ModelFinding is the rule ID every model finding carries, whatever the
// model wrote: its words must never pass for a deterministic rule.
const ModelFinding = "MODEL"

// ModelReview is what the local model said, as data. Status "ok" means a
// validated answer; anything else leaves the rules verdict in force.
type ModelReview struct {
	Status string `json:"status"`           // one of the Status constants
	Reason string `json:"reason,omitempty"` // one line: why there is no review
	// Level is the model's level; nil unless Status is ok, so that no
	// reader mistakes "no review" for "the model says ok".
	Level    *Level    `json:"level,omitempty"`
	Summary  string    `json:"summary,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	// Record says which model answered and how: name, digest, prompt and
	// ruleset versions, options, token counts, durations.
	Record map[string]any `json:"record,omitempty"`
}

// Verdict is the judgement of one input.
type Verdict struct {
	Level          Level     `json:"level"`      // max(rules, model)
	RulesLevel     Level     `json:"rulesLevel"` // what the rules alone say: the floor
	Findings       []Finding `json:"findings"`   // worst first
	RulesetVersion string    `json:"rulesetVersion"`
	// Coverage says what the rules read of the input and what they did
	// not: no silent OK.
	Coverage Coverage `json:"coverage"`
	// Intent is what the user said they mean to do (--intent), for the model.
	Intent  string         `json:"intent,omitempty"`
	Model   *ModelReview   `json:"model,omitempty"`
	Decoded *decode.Result `json:"decoded"`
	// Code is the analysis of the target's or delegate's code the user
	// gave (check --code), judged with the input.
	Code *evm.Analysis `json:"code,omitempty"`
	// Simulation is what the user's node said the input does (--rpc);
	// nil when no node was asked.
	Simulation *Simulation `json:"simulation,omitempty"`
}

// RaisedByModel reports whether the model's review raised the level.
func (v *Verdict) RaisedByModel() bool { return v.Level > v.RulesLevel }

// Merge records a model review. The final level is the higher of the
// rules' and the model's: a model can raise a verdict, never lower it, and
// a review that is not "ok" changes nothing but the record.
func (v *Verdict) Merge(m *ModelReview) {
	v.Model = m
	if m == nil || m.Status != StatusOK || m.Level == nil {
		return
	}
	for i := range m.Findings {
		m.Findings[i].Rule, m.Findings[i].Source = ModelFinding, SourceModel
	}
	v.Level = max(v.RulesLevel, *m.Level)
}

// sortFindings puts the worst first, then by rule ID and evidence, so
// output is stable.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Evidence, b.Evidence))
	})
}

// ModelCounts reports whether the model's review is part of the verdict:
// only a validated ("ok") review is, exactly as Merge says.
func (v *Verdict) ModelCounts() bool { return v.Model != nil && v.Model.Status == StatusOK }

// AllFindings lists the rules' findings and, when the model's review
// counts, the model's, worst first. Rules come before the model at equal
// severity: they are the floor, the model's findings an addition.
func (v *Verdict) AllFindings() []Finding {
	out := slices.Clone(v.Findings)
	if v.ModelCounts() {
		for _, f := range v.Model.Findings {
			// Whatever the model wrote there: it must not pass for a rule.
			f.Source, f.Rule = SourceModel, ModelFinding
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return cmp.Compare(b.Severity, a.Severity) })
	return out
}
