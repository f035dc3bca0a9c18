package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/txguard/txguard/guard"
)

// ruleDoc is a rule as `txguard rules --format json` lists it; guard.Rule
// itself has no JSON names and holds the check function.
type ruleDoc struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Severity    guard.Level `json:"severity"` // the worst level it reports
	Description string      `json:"description"`
}

// WriteRules writes the rule registry (txguard rules): a table for the
// terminal, one JSON document, or a Markdown table for the README. SARIF
// lists the rules inside every SARIF report instead.
func WriteRules(w io.Writer, f Format) error {
	switch f {
	case Text:
		return writeRulesText(w)
	case JSON:
		docs := []ruleDoc{}
		for _, r := range guard.Rules() {
			docs = append(docs, ruleDoc{r.ID, r.Name, r.Severity, r.Description})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			RulesetVersion string    `json:"rulesetVersion"`
			Rules          []ruleDoc `json:"rules"`
		}{guard.RulesetVersion, docs})
	case Markdown:
		var b bytes.Buffer
		b.WriteString("| ID | Name | Severity | Description |\n| --- | --- | --- | --- |\n")
		for _, r := range guard.Rules() {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", r.ID, r.Name, r.Severity, mdInline(r.Description))
		}
		_, err := w.Write(b.Bytes())
		return err
	}
	return fmt.Errorf("report: rules cannot be written as %q (want text, json or markdown)", f)
}

// writeRulesText is a table that fits 80 columns: ID, severity and name on
// one line, the description wrapped beneath the name, since descriptions
// are too long for a column of their own.
func writeRulesText(w io.Writer) error {
	const layout = "%-6s %-9s %s"
	var b bytes.Buffer
	fmt.Fprintf(&b, layout+"\n", "ID", "SEVERITY", "NAME AND DESCRIPTION")
	pad := fmt.Sprintf(layout, "", "", "")
	for _, r := range guard.Rules() {
		fmt.Fprintf(&b, layout+"\n", r.ID, r.Severity, r.Name)
		for _, l := range wrap(r.Description, pad, pad, textWidth) {
			b.WriteString(l + "\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
