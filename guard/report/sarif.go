package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// Where a reader of code scanning finds out more: the project, its rule
// table, and how the model's review works.
const (
	informationURI = "https://github.com/txguard/txguard"
	rulesURI       = informationURI + "#rules-txguard-rules"
	modelURI       = informationURI + "#the-local-models-review"
)

// sarifLevel maps a level onto SARIF's three: SARIF has no "critical", and
// anything that should stop a signature is an error.
func sarifLevel(l guard.Level) string {
	switch {
	case l >= guard.Danger:
		return sarif.LevelError
	case l == guard.Caution:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// securitySeverity is GitHub code scanning's score (a number as a string,
// 0.0-10.0) that it turns into critical/high/medium/low; it puts back the
// critical/danger distinction the SARIF level loses.
var securitySeverity = map[guard.Level]string{
	guard.Critical: "9.5",
	guard.Danger:   "8.0",
	guard.Caution:  "5.0",
	guard.Info:     "2.0",
	guard.OK:       "0.0",
}

// writeSARIF writes a SARIF 2.1.0 log with one run: the whole rule
// registry as the driver's rules (so rule metadata is there even for rules
// that did not fire), and one result per finding. Without an artifact URI
// results have only a logical location, the evidence path; GitHub code
// scanning needs the physical one, so CI should pass the input file.
func writeSARIF(w io.Writer, v *guard.Verdict, o Options) error {
	var b bytes.Buffer
	if err := buildSARIF(v, o).Write(&b); err != nil {
		return err
	}
	out, err := dropUnset(b.Bytes())
	if err != nil {
		return fmt.Errorf("report: sarif: %w", err)
	}
	_, err = w.Write(append(decode.EscapeJSON(out), '\n'))
	return err
}

// buildSARIF builds the log as go-sarif holds it, before its unset fields are
// dropped.
func buildSARIF(v *guard.Verdict, o Options) *sarif.Report {
	run := sarif.NewRunWithInformationURI("txguard", informationURI)
	if v := toolVersion(o.ToolVersion); v != "" {
		run.Tool.Driver.WithVersion(v)
	}
	run.Tool.Driver.
		WithIsComprehensive(true). // every rule is listed, fired or not
		WithProperties(sarif.NewPropertyBag().Add("rulesetVersion", guard.RulesetVersion))
	for _, r := range guard.Rules() {
		run.AddRule(r.ID).
			WithName(r.Name).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(r.Description)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(
				r.Description + " Reported at most as " + r.Severity.String() + ".")).
			WithHelp(ruleHelp(r)).
			WithHelpURI(rulesURI).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity))).
			WithProperties(sarif.NewPropertyBag().
				Add("security-severity", securitySeverity[r.Severity]).
				AddTag("security"))
	}
	// The model's findings carry any level, so its rule has no
	// security-severity: each result's level speaks for itself.
	run.AddRule(guard.ModelFinding).
		WithName("model-review").
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(
			"A risk the local model found in its review.")).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(modelDescription)).
		WithHelp(modelHelp()).
		WithHelpURI(modelURI).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarif.LevelWarning)).
		WithProperties(sarif.NewPropertyBag().AddTag("security"))

	uri := artifactURI(o.ArtifactURI)
	for _, f := range v.AllFindings() {
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(sarifMessage(f)))
		props := sarif.NewPropertyBag().Add("severity", f.Severity.String()).Add("source", f.Source)
		if f.Evidence != "" {
			props.Add("evidence", f.Evidence)
		}
		res.WithProperties(props)
		if loc := sarifLocation(uri, f, o.Root != ""); loc != nil {
			res.AddLocation(loc)
		}
	}

	if o.Root != "" {
		// The root as the user named it: a report must not depend on the
		// machine it was made on (a relative reference is valid SARIF).
		u := artifactURI(strings.TrimSuffix(o.Root, "/")) + "/"
		run.WithOriginalUriBaseIds(map[string]sarif.ArtifactLocation{rootID: *sarif.NewArtifactLocation().WithURI(u)})
	}
	run.AddInvocation(sarifInvocation(v))
	run.WithProperties(sarifVerdict(v))

	log := sarif.NewReport()
	log.AddRun(run)
	return log
}

// rootID names the directory a directory diff's paths are relative to.
const rootID = "NEWROOT"

// sarifMessage is a result's message: what, why, and what to do.
func sarifMessage(f guard.Finding) string {
	parts := []string{f.Title}
	if f.Explanation != "" {
		parts = append(parts, f.Explanation)
	}
	if f.Advice != "" {
		parts = append(parts, "Advice: "+f.Advice)
	}
	return strings.Join(parts, "\n\n")
}

// sarifLocation places a finding: physically in its own file, at its line
// when it has one (a diff audit), else in the input file when there is one;
// logically at the evidence path in the decoded input. A finding without a
// line is about the whole file, which SARIF says with no region at all: a
// made-up line 1 would point a reviewer at the wrong code.
func sarifLocation(uri string, f guard.Finding, rooted bool) *sarif.Location {
	evidence := f.Evidence
	line := 0
	base := ""
	if f.File != "" {
		uri, line = artifactURI(f.File), f.Line
		if rooted {
			base = rootID
		}
	}
	if uri == "" && evidence == "" {
		return nil
	}
	loc := sarif.NewLocation()
	if uri != "" {
		al := sarif.NewSimpleArtifactLocation(uri)
		if base != "" {
			al.WithURIBaseID(base)
		}
		pl := sarif.NewPhysicalLocation().WithArtifactLocation(al)
		if line > 0 {
			pl.WithRegion(sarif.NewRegion().WithStartLine(line))
		}
		loc.WithPhysicalLocation(pl)
	}
	if evidence != "" {
		name := evidence[strings.LastIndexByte(evidence, '.')+1:]
		loc.AddLogicalLocation(sarif.NewLogicalLocation().WithName(name).WithFullyQualifiedName(evidence))
	}
	return loc
}

// sarifInvocation records the run as successful (a verdict exists) and,
// as a notification, why the model did not review: a missing review must
// be visible, never read as "the model found nothing".
func sarifInvocation(v *guard.Verdict) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	if m := v.Model; m != nil && m.Status != guard.StatusOK {
		level := sarif.LevelWarning
		if m.Status == guard.StatusSkipped {
			level = sarif.LevelNote // the user chose it
		}
		text := "model " + cmp.Or(m.Status, "no review")
		if m.Reason != "" {
			text += ": " + m.Reason
		}
		inv.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel(level).
			WithMessage(sarif.NewTextMessage(text)))
	}
	return inv
}

// sarifVerdict is the verdict itself, which SARIF has no place for, in the
// run's property bag: CI can read the level without recomputing it.
func sarifVerdict(v *guard.Verdict) *sarif.PropertyBag {
	p := sarif.NewPropertyBag().
		Add("level", v.Level.String()).
		Add("rulesLevel", v.RulesLevel.String()).
		Add("raisedByModel", v.RaisedByModel()).
		Add("rulesetVersion", v.RulesetVersion).
		Add("coverage", v.Coverage)
	if m := v.Model; m != nil {
		model := map[string]any{"status": m.Status}
		if m.Status == guard.StatusOK && m.Level != nil {
			model["level"] = m.Level.String()
		}
		if m.Reason != "" {
			model["reason"] = m.Reason
		}
		if m.Summary != "" {
			model["summary"] = m.Summary
		}
		p.Add("model", model)
	}
	if v.Simulation != nil {
		p.Add("simulation", v.Simulation)
	}
	return p
}

// artifactURI turns the input file as the user named it into a URI
// reference: forward slashes, escaped, relative when the path was. A URI
// (file:///…) is kept as it is.
func artifactURI(s string) string {
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && strings.HasPrefix(s[len(u.Scheme):], "://") {
		return s
	}
	return (&url.URL{Path: path.Clean(filepath.ToSlash(s))}).String()
}
