package guard

import (
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/tx"
)

// worst is the highest severity rule id reports in v, and whether it fired.
func worst(v *Verdict, id string) (Level, bool) {
	lvl, fired := OK, false
	for _, f := range v.Findings {
		if f.Rule == id {
			lvl, fired = max(lvl, f.Severity), true
		}
	}
	return lvl, fired
}

// TestRuleSeverities: the fixtures whose rule reports a level other than
// the rule's worst report the level the rule promises.
func TestRuleSeverities(t *testing.T) {
	cfg := fixtureConfig(t)
	for _, tc := range []struct {
		fixture, rule string
		want          Level
	}{
		{"TG501-fire-any-chain-unknown-delegate.hex", "TG501", Critical},
		{"TG501-fire-any-chain-request.json", "TG501", Critical},
		{"TG501-fire-any-chain-metamask-delegator.hex", "TG501", Danger},
		{"TG502-fire-router-as-delegate.hex", "TG502", Danger},
		{"TG503-fire-two-authorities.hex", "TG503", Caution},
		{"TG503-fire-same-account-two-delegates.hex", "TG503", Danger},
		{"TG504-fire-broken-authorization-signature.hex", "TG504", Caution},
		{"TG603-fire-800-gwei-gas-price.hex", "TG603", Caution},
		{"TG603-fire-5000-gwei-max-fee.hex", "TG603", Danger},
		{"TG606-fire-bad-signature.hex", "TG606", Danger},
		{"TG606-fire-gas-below-intrinsic.hex", "TG606", Caution},
		{"TG607-fire-unknown-selector-unknown-contract.hex", "TG607", Caution},
		{"TG607-fire-4byte-claim-unknown-contract.hex", "TG607", Caution},
		{"TG607-fire-unknown-selector-usdc.hex", "TG607", Info},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			v := checkFile(t, filepath.Join(fixtures, "rules", tc.fixture), cfg)
			if have, fired := worst(v, tc.rule); !fired || have != tc.want {
				t.Errorf("%s: have %s (fired %v), want %s; findings %v", tc.rule, have, fired, tc.want, ids(v.Findings))
			}
		})
	}
}

var (
	metamask   = common.HexToAddress("0x63c0c19a282a1B52b07dD5a65b58948A07DAE32B")
	caliburV03 = common.HexToAddress("0x458f5a9f47A01beA5d7A32662660559D9eD3312c")
	kernel7702 = common.HexToAddress("0xd6CEDDe84be40893d153Be9d467CD6aD37875b28")
	nobody     = common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	friend     = common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
)

func setCodeResult(chain int64, auths ...tx.Authorization) *decode.Result {
	t := &tx.Tx{Type: 4, Authorizations: auths}
	if chain >= 0 {
		t.ChainID = big.NewInt(chain)
	}
	return &decode.Result{Kind: decode.KindTx, Tx: t}
}

func auth(chain string, delegate common.Address, authority *common.Address) tx.Authorization {
	a := tx.Authorization{ChainID: chain, AnyChain: chain == "0", Delegate: label.Addr{Address: delegate}}
	if authority != nil {
		a.Authority = &label.Addr{Address: *authority}
	}
	return a
}

func TestWellKnownDelegate(t *testing.T) {
	book, err := label.ParseAddressBook(strings.NewReader(friend.Hex()+" Friend\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		txChain   int64 // -1: the input names no chain
		userChain uint64
		a         tx.Authorization
		want      bool
	}{
		{"MetaMask on mainnet", 1, 1, auth("1", metamask, nil), true},
		{"MetaMask on a chain its package does not list", 1, 1, auth("324", metamask, nil), false},
		{"Calibur v0.3 on Arbitrum", 42161, 42161, auth("42161", caliburV03, nil), true},
		{"Calibur v0.3 on OP Mainnet, not in its SDK's table", 10, 10, auth("10", caliburV03, nil), false},
		{"Kernel on any chain id", 1, 1, auth("123456", kernel7702, nil), true},
		{"chain 0: judged on the transaction's chain", 1, 1, auth("0", metamask, nil), true},
		{"chain 0 on a chain MetaMask does not list", 324, 1, auth("0", metamask, nil), false},
		{"chain 0, no chain anywhere: only every-chain delegates", -1, 0, auth("0", metamask, nil), false},
		{"chain 0, no chain anywhere, every-chain delegate", -1, 0, auth("0", kernel7702, nil), true},
		{"chain id above 2^64", 1, 1, auth("18446744073709551617", metamask, nil), false},
		{"a contact", 1, 1, auth("1", friend, nil), true},
		{"a stranger", 1, 1, auth("1", nobody, nil), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newContext(setCodeResult(tc.txChain, tc.a), Config{Chain: tc.userChain, AddressBook: book})
			if _, have := wellKnownDelegate(c, tc.a); have != tc.want {
				t.Errorf("have %v, want %v", have, tc.want)
			}
		})
	}
}

func TestDelegationMultiple(t *testing.T) {
	me, other := friend, nobody
	r := &Rule{ID: "TG503"}
	for _, tc := range []struct {
		name  string
		auths []tx.Authorization
		want  Level // OK: no finding
	}{
		{"one", []tx.Authorization{auth("1", metamask, &me)}, OK},
		{"two accounts, same code", []tx.Authorization{auth("1", metamask, &me), auth("1", metamask, &other)}, Caution},
		{"one account twice, same code", []tx.Authorization{auth("1", metamask, &me), auth("1", metamask, &me)}, Caution},
		{"one account, two delegates", []tx.Authorization{auth("1", metamask, &me), auth("1", nobody, &me)}, Danger},
		{"invalid signatures are nobody's", []tx.Authorization{auth("1", metamask, nil), auth("1", nobody, nil)}, Caution},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := delegationMultiple(newContext(setCodeResult(1, tc.auths...), Config{Chain: 1}), r)
			have := OK
			for _, f := range fs {
				have = max(have, f.Severity)
			}
			if have != tc.want {
				t.Errorf("have %s, want %s: %v", have, tc.want, ids(fs))
			}
		})
	}
}

func TestDelegationRevoke(t *testing.T) {
	c := newContext(setCodeResult(1, auth("0", common.Address{}, nil)), Config{Chain: 1})
	if fs := delegationUnknown(c, &Rule{ID: "TG502"}); len(fs) != 0 {
		t.Errorf("TG502 on a revocation: %v", ids(fs))
	}
	fs := delegationAnyChain(c, &Rule{ID: "TG501"})
	if len(fs) != 1 || fs[0].Severity != Info {
		t.Errorf("TG501 on a chain-0 revocation: %v, want one info", ids(fs))
	}
}
