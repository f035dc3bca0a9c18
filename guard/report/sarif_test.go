package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/txguard/txguard/guard"
)

// sarifSchemaID is the $id of the OASIS SARIF 2.1.0 schema (errata 01) in
// testdata; see testdata/README.md for where the copy comes from.
const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // uri, date-time: GitHub rejects what the spec rejects
	if err := c.AddResource(sarifSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, out []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestSARIFSchema validates every SARIF report against the official
// schema, and makes sure the validator does reject a broken one.
func TestSARIFSchema(t *testing.T) {
	sch := sarifSchema(t)
	for _, c := range cases(t) {
		out := render(t, SARIF, c)
		if err := validate(sch, out); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	broken := bytes.Replace(render(t, SARIF, cases(t)[0]), []byte(`"level": "error"`), []byte(`"level": "critical"`), 1)
	if err := validate(sch, broken); err == nil {
		t.Error("the schema accepted a SARIF level of critical: the validation is not working")
	}
}

// sarifLog is the part of a SARIF log the tests look at.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID, Name             string
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any
				}
			}
		}
		Results []struct {
			RuleID, Level string
			RuleIndex     int
			Message       struct{ Text string }
			Properties    map[string]any
			Locations     []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct{ URI string }
					Region           struct{ StartLine int }
				}
				LogicalLocations []struct{ FullyQualifiedName string }
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
		Properties map[string]any
	}
}

func parseSARIF(t *testing.T, out []byte) sarifLog {
	t.Helper()
	var l sarifLog
	if err := json.Unmarshal(out, &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(l.Runs))
	}
	return l
}

// TestSARIFRules: the driver lists the whole registry with GitHub's
// severity, then MODEL.
func TestSARIFRules(t *testing.T) {
	l := parseSARIF(t, render(t, SARIF, cases(t)[0]))
	d := l.Runs[0].Tool.Driver
	if d.Name != "txguard" || d.Version != "test" || d.InformationURI == "" {
		t.Errorf("driver %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	reg := guard.Rules()
	if len(d.Rules) != len(reg)+1 || d.Rules[len(reg)].ID != guard.ModelFinding {
		t.Fatalf("%d rules, want the registry's %d and MODEL", len(d.Rules), len(reg))
	}
	wantLevel := map[guard.Level]string{guard.Critical: "error", guard.Danger: "error", guard.Caution: "warning", guard.Info: "note", guard.OK: "note"}
	wantScore := map[guard.Level]string{guard.Critical: "9.5", guard.Danger: "8.0", guard.Caution: "5.0", guard.Info: "2.0", guard.OK: "0.0"}
	for i, r := range reg {
		got := d.Rules[i]
		if got.ID != r.ID || got.Name != r.Name || got.DefaultConfiguration.Level != wantLevel[r.Severity] ||
			got.Properties["security-severity"] != wantScore[r.Severity] {
			t.Errorf("rule %d = %+v, want %s %s %s %s", i, got, r.ID, r.Name, wantLevel[r.Severity], wantScore[r.Severity])
		}
	}
}

// TestSARIFResults: findings become results of their rule, the model's of
// MODEL, placed in the artifact when there is one and at the evidence.
func TestSARIFResults(t *testing.T) {
	for _, c := range cases(t) {
		if !strings.HasPrefix(c.name, "model-") {
			continue
		}
		run := parseSARIF(t, render(t, SARIF, c)).Runs[0]
		fs := c.v.AllFindings()
		if len(run.Results) != len(fs) {
			t.Fatalf("%s: %d results for %d findings", c.name, len(run.Results), len(fs))
		}
		for i, r := range run.Results {
			f := fs[i]
			if r.RuleID != f.Rule || r.Level != sarifLevel(f.Severity) || r.RuleIndex < 0 ||
				run.Tool.Driver.Rules[r.RuleIndex].ID != f.Rule || !strings.HasPrefix(r.Message.Text, f.Title) {
				t.Errorf("%s: result %d = %+v for %s", c.name, i, r, f.Rule)
			}
			if r.Properties["severity"] != f.Severity.String() || r.Properties["source"] != f.Source {
				t.Errorf("%s: result %d properties %v", c.name, i, r.Properties)
			}
			if f.Evidence != "" && (len(r.Locations) != 1 || len(r.Locations[0].LogicalLocations) != 1 ||
				r.Locations[0].LogicalLocations[0].FullyQualifiedName != f.Evidence) {
				t.Errorf("%s: result %d locations %+v, want evidence %s", c.name, i, r.Locations, f.Evidence)
			}
			for _, loc := range r.Locations {
				p := loc.PhysicalLocation
				if (p != nil) != (c.opts.ArtifactURI != "") ||
					p != nil && (p.ArtifactLocation.URI != artifactURI(c.opts.ArtifactURI) || p.Region.StartLine != 1) {
					t.Errorf("%s: result %d physical location %+v, artifact %q", c.name, i, p, c.opts.ArtifactURI)
				}
			}
		}
		if got := run.Properties["level"]; got != c.v.Level.String() {
			t.Errorf("%s: run level %v, want %s", c.name, got, c.v.Level)
		}
		inv := run.Invocations
		if len(inv) != 1 || !inv[0].ExecutionSuccessful {
			t.Fatalf("%s: invocations %+v", c.name, inv)
		}
		if notes := inv[0].ToolExecutionNotifications; (c.v.Model.Status != "ok") != (len(notes) == 1) ||
			len(notes) == 1 && !strings.Contains(notes[0].Message.Text, c.v.Model.Reason) {
			t.Errorf("%s: notifications %+v for model status %s", c.name, notes, c.v.Model.Status)
		}
	}
}

// A finding with a file and line (a diff audit) is placed there in every
// format: SARIF's physical location (what GitHub code scanning annotates),
// "at:" in text, "At:" in Markdown.
func TestFindingLocation(t *testing.T) {
	v := &guard.Verdict{Level: guard.Danger, RulesLevel: guard.Danger, Findings: []guard.Finding{
		{Rule: "TG101", Severity: guard.Danger, Title: "placed", Source: guard.SourceRules, File: "contracts/Vault.sol", Line: 42},
		{Rule: "TG102", Severity: guard.Caution, Title: "file only", Source: guard.SourceRules, File: "contracts/Vault.sol"},
		{Rule: "TG103", Severity: guard.Info, Title: "whole input", Source: guard.SourceRules},
	}}
	c := testCase{"location", v, Options{ArtifactURI: "diff.patch", ToolVersion: "test"}}
	run := parseSARIF(t, render(t, SARIF, c)).Runs[0]
	for i, want := range []struct {
		uri  string
		line int
	}{{"contracts/Vault.sol", 42}, {"contracts/Vault.sol", 1}, {"diff.patch", 1}} {
		pl := run.Results[i].Locations[0].PhysicalLocation
		if pl == nil || pl.ArtifactLocation.URI != want.uri || pl.Region.StartLine != want.line {
			t.Errorf("result %d at %+v, want %s:%d", i, pl, want.uri, want.line)
		}
	}
	if err := validate(sarifSchema(t), render(t, SARIF, c)); err != nil {
		t.Error(err)
	}
	if text := string(render(t, Text, c)); !strings.Contains(text, "at: contracts/Vault.sol:42") {
		t.Errorf("text lacks the location:\n%s", text)
	}
	if md := string(render(t, Markdown, c)); !strings.Contains(md, "- At: `contracts/Vault.sol:42`") {
		t.Errorf("markdown lacks the location:\n%s", md)
	}
	// A path is the diff's, so the input's: no escape sequence in it may
	// reach a terminal that shows the report.
	v.Findings[0].File = "\x1b[2J\x1b]0;pwn\x07Tok.sol"
	for _, f := range []Format{Text, Markdown} {
		if out := string(render(t, f, c)); strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s: a control character from a path got through:\n%q", f, out)
		}
	}
}
