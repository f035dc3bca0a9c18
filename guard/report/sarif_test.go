package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
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
					Region           *struct{ StartLine int }
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
					p != nil && (p.ArtifactLocation.URI != artifactURI(c.opts.ArtifactURI) || p.Region != nil) {
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
// "at:" in text, "At:" in Markdown. One without a line is about the whole
// file: SARIF places it in the file with no region, not at a made-up line.
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
		line int // 0: no region
	}{{"contracts/Vault.sol", 42}, {"contracts/Vault.sol", 0}, {"diff.patch", 0}} {
		pl := run.Results[i].Locations[0].PhysicalLocation
		if pl == nil || pl.ArtifactLocation.URI != want.uri || (pl.Region == nil) != (want.line == 0) ||
			pl.Region != nil && pl.Region.StartLine != want.line {
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

// TestSARIFHelp: every rule carries a help object, in text and Markdown,
// built from its registry entry: GitHub code scanning shows it under each
// alert, and a rule without one shows an empty panel.
func TestSARIFHelp(t *testing.T) {
	var l struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID, HelpURI string
						Help        *struct{ Text, Markdown string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(render(t, SARIF, cases(t)[0]), &l); err != nil {
		t.Fatal(err)
	}
	rules := l.Runs[0].Tool.Driver.Rules
	reg := guard.Rules()
	if len(rules) != len(reg)+1 {
		t.Fatalf("%d rules, want %d", len(rules), len(reg)+1)
	}
	for i, r := range rules {
		if r.Help == nil || r.Help.Text == "" || r.Help.Markdown == "" || r.HelpURI == "" {
			t.Errorf("%s: help %+v, helpUri %q", r.ID, r.Help, r.HelpURI)
			continue
		}
		var wantDesc, wantFrom string
		if i < len(reg) {
			wantDesc, wantFrom = reg[i].Description, "reported by"
		} else {
			wantDesc, wantFrom = modelDescription, "validated"
		}
		for _, have := range []string{r.Help.Text, r.Help.Markdown} {
			if !strings.Contains(have, r.ID) || !strings.Contains(have, wantFrom) {
				t.Errorf("%s: help lacks its ID or its origin %q:\n%s", r.ID, wantFrom, have)
			}
		}
		if !strings.Contains(r.Help.Text, wantDesc) {
			t.Errorf("%s: help text lacks the description:\n%s", r.ID, r.Help.Text)
		}
	}
}

// TestRuleHelp pins what the help says about the level and the check.
func TestRuleHelp(t *testing.T) {
	for _, c := range []struct {
		rule guard.Rule
		want []string
	}{
		{guard.Rule{ID: "TG901", Name: "storage-layout-changed", Severity: guard.Danger, Description: "A state variable *moved*."},
			[]string{"Reported at most as **danger** (SARIF `error`, security severity 8.0)", "fails the check (exit 1)",
				"changes to contracts, reported by `txguard diff`", `A state variable \*moved\*.`}},
		{guard.Rule{ID: "TG1003", Name: "sim-reverts", Severity: guard.Caution, Description: "It reverts."},
			[]string{"**caution** (SARIF `warning`, security severity 5.0)", "only with a --fail-on below the default",
				"`txguard check --rpc`"}},
		{guard.Rule{ID: "TG103", Name: "approval-revoke", Severity: guard.OK, Description: "A revoke."},
			[]string{"**ok** (SARIF `note`, security severity 0.0)", "token and NFT approvals"}},
		{guard.Rule{ID: "TG1010", Name: "sim-unreadable", Severity: guard.Danger, Description: "Too large."},
			[]string{"what your own node simulates"}},
		{guard.Rule{ID: "XX1", Name: "unnumbered", Severity: guard.Info, Description: "No family."},
			[]string{"**XX1** `unnumbered`\n\nNo family.\n\nReported at most as **info**"}},
	} {
		md := ruleHelp(c.rule).Markdown
		if md == nil {
			t.Fatalf("%s: no markdown", c.rule.ID)
		}
		for _, w := range c.want {
			if !strings.Contains(*md, w) {
				t.Errorf("%s: help lacks %q:\n%s", c.rule.ID, w, *md)
			}
		}
		if strings.Contains(*md, "reported by") != strings.HasPrefix(c.rule.ID, "TG") {
			t.Errorf("%s: family sentence wrong:\n%s", c.rule.ID, *md)
		}
	}
}

// placeholders walks a SARIF log and lists every value that stands for
// "not set": a negative number or an empty array (except results, where
// empty means "found nothing"), a region line or column below 1, a "dev"
// or empty version. Property bags are txguard's own data, not walked.
func placeholders(t *testing.T, out []byte) []string {
	t.Helper()
	var doc any
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var found []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if k == "properties" {
					continue
				}
				p := path + "." + k
				n, isNum := e.(json.Number)
				a, isArr := e.([]any)
				switch {
				case isNum && strings.HasPrefix(string(n), "-"),
					isNum && (k == "startLine" || k == "startColumn" || k == "endLine" || k == "endColumn") && n == "0",
					k == "version" && (e == "dev" || e == ""),
					isArr && len(a) == 0 && k != "results":
					found = append(found, p)
				}
				walk(p, e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("$", doc)
	slices.Sort(found)
	return found
}

// TestSARIFNoPlaceholders: what go-sarif fills in for fields it does not
// omit (-1 indexes, offsets and ranks, empty arrays) never reaches the
// output, which stays valid SARIF; "dev" never names the version.
func TestSARIFNoPlaceholders(t *testing.T) {
	sch := sarifSchema(t)
	cs := cases(t)
	v := &guard.Verdict{Level: guard.Danger, RulesLevel: guard.Danger, Findings: []guard.Finding{
		{Rule: "TG901", Severity: guard.Danger, Title: "placed", Source: guard.SourceRules, File: "src/Vault.sol", Line: 7},
		{Rule: "TG911", Severity: guard.Danger, Title: "whole file", Source: guard.SourceRules, File: "src/Vault.vy"},
	}}
	cs = append(cs,
		testCase{"diff", v, Options{ToolVersion: "dev"}},
		testCase{"no-findings", &guard.Verdict{Findings: []guard.Finding{}}, Options{}})
	for _, c := range cs {
		out := render(t, SARIF, c)
		if found := placeholders(t, out); len(found) > 0 {
			t.Errorf("%s: placeholders at %v", c.name, found)
		}
		if err := validate(sch, out); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// The walk must catch what the library writes, or it proves nothing.
	raw := []byte(`{"runs":[{"results":[],"graphs":[],"properties":{"n":-1,"e":[]},` +
		`"locations":[{"id":-1,"physicalLocation":{"region":{"startLine":0,"byteOffset":-1}}}],` +
		`"tool":{"driver":{"version":"dev","rules":[{"defaultConfiguration":{"rank":-1}}]}}}]}`)
	want := []string{"$.runs[0].graphs", "$.runs[0].locations[0].id",
		"$.runs[0].locations[0].physicalLocation.region.byteOffset", "$.runs[0].locations[0].physicalLocation.region.startLine",
		"$.runs[0].tool.driver.rules[0].defaultConfiguration.rank", "$.runs[0].tool.driver.version"}
	if got := placeholders(t, raw); !slices.Equal(got, want) {
		t.Errorf("the walk found\n%v\nwant\n%v", got, want)
	}
}

// TestDropUnset: the rewrite drops exactly the unset members, keeps order,
// numbers as written, results and property bags, and refuses broken JSON.
func TestDropUnset(t *testing.T) {
	for _, c := range []struct{ name, have, want string }{
		{"unset members", `{"b":1,"index":-1,"a":[],"rank":-1,"c":"x"}`, `{"b":1,"c":"x"}`},
		{"results stay", `{"results":[],"graphs":[]}`, `{"results":[]}`},
		{"property bags stay", `{"properties":{"delta":-1,"read":[],"deep":{"i":-1}},"index":-1}`,
			`{"properties":{"delta":-1,"read":[],"deep":{"i":-1}}}`},
		{"nested", `{"runs":[{"locations":[{"id":-1,"physicalLocation":{"region":{"startLine":3,"byteOffset":-1,"charOffset":-1}}}]}]}`,
			`{"runs":[{"locations":[{"physicalLocation":{"region":{"startLine":3}}}]}]}`},
		{"newline default", `{"newlineSequences":["\r\n","\n"],"x":["\n"]}`, `{"x":["\n"]}`},
		{"other newlines stay", `{"newlineSequences":["\n"]}`, `{"newlineSequences":["\n"]}`},
		{"numbers as written", `{"n":1.50,"big":123456789012345678901234567890,"neg":-2}`,
			`{"n":1.50,"big":123456789012345678901234567890,"neg":-2}`},
		{"an object left empty", `{"o":{"index":-1},"l":[-1,[]]}`, `{"o":{},"l":[-1,[]]}`},
		{"strings escaped", `{"s":"<a>&\u001b\"q\""}`, `{"s":"\u003ca\u003e\u0026\u001b\"q\""}`},
		{"literals", `{"t":true,"f":false,"z":null}`, `{"t":true,"f":false,"z":null}`},
	} {
		got, err := dropUnset([]byte(c.have))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(c.want), "", "  "); err != nil {
			t.Fatalf("%s: bad want: %v", c.name, err)
		}
		if string(got) != want.String() {
			t.Errorf("%s:\nhave %s\ngot  %s\nwant %s", c.name, c.have, got, want.String())
		}
	}
	for _, bad := range []string{``, `{`, `{"a":}`, `{"a":1}{"b":2}`, `{"a":[1,}`, `0A0`, `{"i":0,"i":-1}`} {
		if _, err := dropUnset([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// BenchmarkSARIF writes the SARIF of a 1,000-finding diff verdict;
// BenchmarkSARIFLibrary, its floor, only builds and marshals the same log
// with go-sarif: the difference is what dropping unset fields costs.
func BenchmarkSARIF(b *testing.B) {
	v := manyFindings(1_000)
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if err := WriteWith(&out, SARIF, v, Options{ToolVersion: "v1.0.0"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "bytes")
}

func BenchmarkSARIFLibrary(b *testing.B) {
	v := manyFindings(1_000)
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if err := buildSARIF(v, Options{ToolVersion: "v1.0.0"}).Write(&out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "bytes")
}
