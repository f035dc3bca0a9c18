package prompts

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// answerJSON is a valid answer, changed by edit (a JSON object as a map).
func answerJSON(t testing.TB, withIntent bool, edit func(m map[string]any)) string {
	t.Helper()
	m := map[string]any{
		"findings": []any{map[string]any{
			"title":       "Unlimited USDC allowance",
			"severity":    "danger",
			"explanation": "The spender can take all your USDC.",
			"evidence":    "tx.call.args.amount",
		}},
		"summary":             "You are giving an unknown address unlimited access to your USDC.",
		"intent_match":        nil,
		"injection_suspected": false,
		"level":               "danger",
	}
	if withIntent {
		m["intent_match"] = "no"
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func firstFinding(m map[string]any) map[string]any { return m["findings"].([]any)[0].(map[string]any) }

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name       string
		have       func(t testing.TB) string
		withIntent bool
		want       string // "" valid, else part of the error
		notJSON    bool   // the error is errNotJSON
		noCross    bool   // a JSON Schema validator cannot see it (duplicate keys)
	}{
		{name: "valid, no intent", have: func(t testing.TB) string { return answerJSON(t, false, nil) }},
		{name: "valid, intent", withIntent: true, have: func(t testing.TB) string { return answerJSON(t, true, nil) }},
		{name: "valid, no findings", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["findings"] = []any{} })
		}},
		{name: "valid, eight findings", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) {
				f := m["findings"].([]any)
				for len(f) < 8 {
					f = append(f, f[0])
				}
				m["findings"] = f
			})
		}},
		{name: "valid, limits counted in runes", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) {
				m["summary"] = strings.Repeat("é", maxSummary) // 1200 bytes
				firstFinding(m)["title"] = strings.Repeat("→", maxTitle)
				firstFinding(m)["explanation"] = strings.Repeat("x", maxExplanation)
				firstFinding(m)["evidence"] = strings.Repeat("y", maxEvidence)
			})
		}},
		{name: "valid, empty evidence", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { firstFinding(m)["evidence"] = "" })
		}},
		{name: "valid, other key order and whitespace", have: func(t testing.TB) string {
			return "\n { \"level\" : \"ok\", \"summary\": \"Fine.\", \"injection_suspected\": true, \"intent_match\": null, \"findings\": [] }\n"
		}},

		{name: "bad level enum", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["level"] = "severe" })
		}, want: `level: "severe" is not one of ok, info, caution, danger, critical`},
		{name: "bad severity enum", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { firstFinding(m)["severity"] = "high" })
		}, want: `findings[0].severity: "high" is not one of`},
		{name: "level in capitals", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["level"] = "DANGER" })
		}, want: `level: "DANGER" is not one of`},
		{name: "summary too long", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["summary"] = strings.Repeat("é", maxSummary+1) })
		}, want: "summary: 601 characters, at most 600"},
		{name: "title too long", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { firstFinding(m)["title"] = strings.Repeat("t", maxTitle+1) })
		}, want: "findings[0].title: 121 characters, at most 120"},
		{name: "explanation too long", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { firstFinding(m)["explanation"] = strings.Repeat("e", maxExplanation+1) })
		}, want: "findings[0].explanation: 401 characters, at most 400"},
		{name: "evidence too long", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { firstFinding(m)["evidence"] = strings.Repeat("p", maxEvidence+1) })
		}, want: "findings[0].evidence: 201 characters, at most 200"},
		{name: "empty summary", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["summary"] = "" })
		}, want: "summary: empty"},
		{name: "extra field", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["confidence"] = "high" })
		}, want: `answer: extra field "confidence"`},
		{name: "extra field in a finding", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { firstFinding(m)["rule"] = "TG101" })
		}, want: `findings[0]: extra field "rule"`},
		{name: "missing level", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { delete(m, "level") })
		}, want: `answer: missing field "level"`},
		{name: "missing evidence", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { delete(firstFinding(m), "evidence") })
		}, want: `findings[0]: missing field "evidence"`},
		{name: "missing intent_match", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { delete(m, "intent_match") })
		}, want: `missing field "intent_match"`},
		{name: "nine findings", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) {
				f := m["findings"].([]any)
				for len(f) < 9 {
					f = append(f, f[0])
				}
				m["findings"] = f
			})
		}, want: "findings: more than 8 items"},
		{name: "intent_match without an intent", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["intent_match"] = "yes" })
		}, want: "intent_match: want null"},
		{name: "intent_match null with an intent", withIntent: true, have: func(t testing.TB) string {
			return answerJSON(t, true, func(m map[string]any) { m["intent_match"] = nil })
		}, want: "intent_match: want a string, got null"},
		{name: "intent_match not in the enum", withIntent: true, have: func(t testing.TB) string {
			return answerJSON(t, true, func(m map[string]any) { m["intent_match"] = "maybe" })
		}, want: `intent_match: "maybe" is not one of yes, no, unclear`},
		{name: "boolean as a string", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["injection_suspected"] = "false" })
		}, want: "injection_suspected: want true or false"},
		{name: "level as a number", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["level"] = 3 })
		}, want: "level: want a string, got 3"},
		{name: "findings as an object", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["findings"] = firstFinding(m) })
		}, want: "findings: want an array, got an object"},
		{name: "a finding as a string", have: func(t testing.TB) string {
			return answerJSON(t, false, func(m map[string]any) { m["findings"] = []any{"approve"} })
		}, want: "findings[0]: want an object"},
		{name: "top level array", have: func(t testing.TB) string { return "[]" }, want: "answer: want an object, got an array"},
		{name: "duplicate key", have: func(t testing.TB) string {
			return strings.Replace(answerJSON(t, false, nil), `"level":"danger"`, `"level":"danger","level":"ok"`, 1)
		}, want: `field "level" twice`, noCross: true},

		{name: "prose", have: func(t testing.TB) string { return "The transaction looks fine." }, want: "not JSON", notJSON: true},
		{name: "markdown fence", have: func(t testing.TB) string { return "```json\n" + answerJSON(t, false, nil) + "\n```" }, want: "not JSON", notJSON: true},
		{name: "cut inside a string", have: func(t testing.TB) string { return `{"findings":[{"title":"Unlimited USD` }, want: "not JSON", notJSON: true},
		{name: "trailing data", have: func(t testing.TB) string { return answerJSON(t, false, nil) + " {}" }, want: "more after the answer", notJSON: true},
		{name: "empty", have: func(t testing.TB) string { return " \n" }, want: "the answer is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have := tt.have(t)
			a, err := parseAnswer(have, tt.withIntent)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("parseAnswer: %v, want valid", err)
			case tt.want == "" && a == nil:
				t.Fatal("parseAnswer: nil answer and no error")
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("parseAnswer: %v, want an error containing %q", err, tt.want)
			case tt.want != "" && errors.Is(err, errNotJSON) != tt.notJSON:
				t.Fatalf("parseAnswer: %v: errNotJSON is %v, want %v", err, errors.Is(err, errNotJSON), tt.notJSON)
			}
			// A maintained validator must agree with ours on the schema we send.
			if tt.noCross || !json.Valid([]byte(have)) {
				return
			}
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(have))
			if err != nil {
				t.Fatal(err)
			}
			if verr := compileFormat(t, tt.withIntent).Validate(inst); (verr == nil) != (tt.want == "") {
				t.Errorf("jsonschema says %v; ours says %q", verr, tt.want)
			}
		})
	}
}

func compileFormat(t *testing.T, withIntent bool) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(format(withIntent))))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("answer.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("answer.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestParseAnswerValues(t *testing.T) {
	a, err := parseAnswer(answerJSON(t, true, nil), true)
	if err != nil {
		t.Fatal(err)
	}
	if a.Level != "danger" || a.IntentMatch == nil || *a.IntentMatch != "no" || len(a.Findings) != 1 || a.Findings[0].Evidence != "tx.call.args.amount" {
		t.Errorf("parseAnswer = %+v", a)
	}
}

// TestFormat pins what Ollama is sent: bounded strings, enums, required
// fields, no extra ones, and the order of generation (level last).
func TestFormat(t *testing.T) {
	tests := []struct {
		withIntent bool
		want       string
	}{
		{false, `{"type":"object","properties":{` +
			`"findings":{"type":"array","maxItems":8,"items":{"type":"object","properties":{` +
			`"title":{"type":"string","minLength":1,"maxLength":120},` +
			`"severity":{"type":"string","enum":["ok","info","caution","danger","critical"]},` +
			`"explanation":{"type":"string","minLength":1,"maxLength":400},` +
			`"evidence":{"type":"string","maxLength":200}},` +
			`"required":["title","severity","explanation","evidence"],"additionalProperties":false}},` +
			`"summary":{"type":"string","minLength":1,"maxLength":600},` +
			`"intent_match":{"type":"null"},` +
			`"injection_suspected":{"type":"boolean"},` +
			`"level":{"type":"string","enum":["ok","info","caution","danger","critical"]}},` +
			`"required":["findings","summary","intent_match","injection_suspected","level"],"additionalProperties":false}`},
		{true, `"intent_match":{"type":"string","enum":["yes","no","unclear"]}`},
	}
	for _, tt := range tests {
		have := string(format(tt.withIntent))
		if !json.Valid([]byte(have)) {
			t.Fatalf("format(%v) is not JSON: %s", tt.withIntent, have)
		}
		if !strings.Contains(have, tt.want) {
			t.Errorf("format(%v) =\n%s\nwant it to contain\n%s", tt.withIntent, have, tt.want)
		}
	}
}
