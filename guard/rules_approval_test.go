package guard

import (
	"math/big"
	"path/filepath"
	"testing"
)

func TestLargeAmount(t *testing.T) {
	pow := func(base, exp int64) *big.Int { return new(big.Int).Exp(big.NewInt(base), big.NewInt(exp), nil) }
	trillion := pow(10, 12)
	tests := []struct {
		name     string
		have     *big.Int
		decimals int // -1: not a listed token
		want     bool
	}{
		{"nil", nil, 6, false},
		{"zero", big.NewInt(0), 6, false},
		{"max uint256", new(big.Int).Sub(pow(2, 256), big.NewInt(1)), -1, true},
		{"max uint160", new(big.Int).Sub(pow(2, 160), big.NewInt(1)), -1, true},
		{"2^128, unlisted", pow(2, 128), -1, true},
		{"2^128 - 1, unlisted", new(big.Int).Sub(pow(2, 128), big.NewInt(1)), -1, false},
		{"max uint256 - 1", new(big.Int).Sub(pow(2, 256), big.NewInt(2)), -1, true},
		{"10^12 USDC", new(big.Int).Mul(trillion, pow(10, 6)), 6, true},
		{"10^12 USDC - 1 unit", new(big.Int).Sub(new(big.Int).Mul(trillion, pow(10, 6)), big.NewInt(1)), 6, false},
		{"10^12 USDC-sized, unlisted", new(big.Int).Mul(trillion, pow(10, 6)), -1, false},
		{"10^12 of an 18-decimal token", new(big.Int).Mul(trillion, pow(10, 18)), 18, true},
		{"a billion of an 18-decimal token", pow(10, 27), 18, false},
		{"10^12 of a 0-decimal token", trillion, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if have := largeAmount(tt.have, tt.decimals); have != tt.want {
				t.Errorf("largeAmount(%v, %d) = %v, want %v", tt.have, tt.decimals, have, tt.want)
			}
		})
	}
}

func TestJoinAnd(t *testing.T) {
	tests := []struct {
		have []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
	}
	for _, tt := range tests {
		if have := joinAnd(tt.have); have != tt.want {
			t.Errorf("joinAnd(%q) = %q, want %q", tt.have, have, tt.want)
		}
	}
}

func TestUntilPhrase(t *testing.T) {
	tests := []struct {
		have *big.Int
		want string
	}{
		{big.NewInt(1767225600), "until 2026-01-01 00:00 UTC"},
		{big.NewInt(253402300799), "until 9999-12-31 23:59 UTC"},
		{big.NewInt(253402300800), "forever"},
		{new(big.Int).Lsh(big.NewInt(1), 255), "forever"},
	}
	for _, tt := range tests {
		if have := untilPhrase(tt.have); have != tt.want {
			t.Errorf("untilPhrase(%v) = %q, want %q", tt.have, have, tt.want)
		}
	}
}

// ruleCase is one rule fixture with the finding it must produce: the
// rule's worst severity on it and that finding's evidence.
type ruleCase struct {
	file, rule string
	sev        Level
	evidence   string
}

func checkRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	cfg := fixtureConfig(t)
	for _, tt := range cases {
		t.Run(tt.file, func(t *testing.T) {
			v := checkFile(t, filepath.Join(fixtures, "rules", tt.file), cfg)
			var worst *Finding
			for i, f := range v.Findings {
				if f.Rule == tt.rule && (worst == nil || f.Severity > worst.Severity) {
					worst = &v.Findings[i]
				}
			}
			switch {
			case worst == nil:
				t.Fatalf("%s did not fire; findings %v", tt.rule, ids(v.Findings))
			case worst.Severity != tt.sev || worst.Evidence != tt.evidence:
				t.Errorf("%s: have %s at %s, want %s at %s", tt.rule, worst.Severity, worst.Evidence, tt.sev, tt.evidence)
			}
			if worst.Title == "" || worst.Explanation == "" || worst.Advice == "" && worst.Severity > OK {
				t.Errorf("%s: incomplete finding %+v", tt.rule, *worst)
			}
		})
	}
}

// TestApprovalSeverities pins the level and evidence of each approval
// rule on its fixtures: nested calls are judged as top-level ones.
func TestApprovalSeverities(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"TG101-fire-unlimited-unknown-spender.hex", "TG101", Danger, "tx.call.args.amount"},
		{"TG101-fire-unlimited-permit2.hex", "TG101", Caution, "tx.call.args.amount"},
		{"TG101-fire-large-listed-token.hex", "TG101", Caution, "tx.call.args.amount"},
		{"TG101-fire-increase-huge-unlisted-token.hex", "TG101", Danger, "tx.call.args.addedValue"},
		{"TG101-fire-safe-multisend.hex", "TG101", Danger, "tx.call.calls[0].calls[0].args.amount"},
		{"TG101-fire-multicall3.hex", "TG101", Danger, "tx.call.calls[1].args.amount"},
		{"TG101-fire-erc7821-batch.hex", "TG101", Danger, "tx.call.calls[1].args.amount"},
		{"TG102-fire-bounded-unknown.hex", "TG102", Danger, "tx.call.args.spender"},
		{"TG102-fire-nested-multisend.hex", "TG102", Danger, "tx.call.calls[0].calls[0].args.spender"},
		{"TG103-fire-approve-zero.hex", "TG103", OK, "tx.call.args.amount"},
		{"TG103-fire-nft-operator-off.hex", "TG103", OK, "tx.call.args.approved"},
		{"TG103-fire-permit2-lockdown.hex", "TG103", OK, "tx.call.args.approvals"},
		{"TG104-fire-unknown-operator.hex", "TG104", Danger, "tx.call.args.operator"},
		{"TG104-fire-opensea-conduit.hex", "TG104", Info, "tx.call.args.operator"},
		{"TG104-fire-safe-multisend.hex", "TG104", Danger, "tx.call.calls[0].calls[0].args.operator"},
		{"TG105-fire-router-permit-unknown-spender.hex", "TG105", Danger, "tx.call.calls[0].args.permitSingle.spender"},
		{"TG105-fire-router-permit-bounded.hex", "TG105", Info, "tx.call.calls[0].args.permitSingle.spender"},
		{"TG105-fire-router-permit-batch-unlimited.hex", "TG105", Caution, "tx.call.calls[0].args.permitBatch.details[0].amount"},
		{"TG105-fire-router-transfer-from.hex", "TG105", Info, "tx.call.calls[0].args.amount"},
		{"TG105-fire-fake-router-transfer-from.hex", "TG105", Danger, "tx.call.calls[0].args.amount"},
		{"TG105-fire-approve-unknown-spender.hex", "TG105", Danger, "tx.call.args.spender"},
		{"TG105-fire-approve-unlimited-1inch.hex", "TG105", Danger, "tx.call.args.amount"},
		{"TG105-fire-approve-long-expiration.hex", "TG105", Danger, "tx.call.args.expiration"},
		{"TG105-fire-permit-batch-onchain.hex", "TG105", Danger, "tx.call.args.permitBatch.spender"},
	})
}
