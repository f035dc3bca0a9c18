package typeddata

import (
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/label"
)

// deadlineNames are members that hold a Unix time in the contracts that
// drainers imitate most (Permit2, ERC-2612, DAI, Seaport, ERC-3009).
var deadlineNames = map[string]bool{
	"deadline": true, "expiration": true, "sigDeadline": true, "validBefore": true,
	"validAfter": true, "endTime": true, "startTime": true, "expiry": true,
}

// lastDate is 9999-12-31T23:59:59Z: beyond it a date says less than the
// number, and every infinite sentinel lands there.
const lastDate = 253402300799

// annotate adds labels and human-readable amounts and dates. It runs after
// hashing because labels depend on the chain the domain names.
func (t *TypedData) annotate(lab *label.Labeler) {
	if vc := t.Domain.VerifyingContract; vc != nil {
		*vc = lab.Addr(vc.Address)
	}
	for i := range t.Domain.Extra {
		annotateField(&t.Domain.Extra[i], lab)
	}
	for i := range t.Message {
		annotateField(&t.Message[i], lab)
	}
	tokenAmount(t.Message, lab)
	t.permit(lab)
}

func annotateField(f *Field, lab *label.Labeler) {
	switch {
	case f.Value == "":
	case f.Type == "address":
		f.Label = lab.Addr(common.HexToAddress(f.Value)).Label
	case deadlineNames[f.Name] && isInt(f.Type):
		f.Human = date(f.Value)
	}
	for i := range f.Fields {
		annotateField(&f.Fields[i], lab)
	}
	if !strings.HasSuffix(f.Type, "]") {
		tokenAmount(f.Fields, lab)
	}
}

// tokenAmount formats the amount of a struct that names its token, as
// Permit2's PermitDetails and TokenPermissions do.
func tokenAmount(fields []Field, lab *label.Labeler) {
	token := find(fields, "token")
	if token == nil || token.Type != "address" {
		return
	}
	hasAmount := false
	for i := range fields {
		f := &fields[i]
		if (f.Name == "amount" || f.Name == "value") && isInt(f.Type) {
			if v, ok := new(big.Int).SetString(f.Value, 10); ok {
				f.Human = lab.Amount(common.HexToAddress(token.Value), v)
				hasAmount = true
			}
		}
	}
	// Permit2 stores expiration 0 as block.timestamp: the allowance lasts
	// only for the block that uses it, which a date of 1970 would hide.
	if exp := find(fields, "expiration"); hasAmount && exp != nil && exp.Value == "0" {
		exp.Human = "0: in Permit2, the allowance ends with the block that uses it"
	}
}

// permit formats ERC-2612 permits (value) and DAI's (allowed), where the
// token is the domain's verifyingContract.
func (t *TypedData) permit(lab *label.Labeler) {
	vc := t.Domain.VerifyingContract
	if t.PrimaryType != "Permit" || vc == nil {
		return
	}
	if f := find(t.Message, "value"); f != nil && isInt(f.Type) {
		if v, ok := new(big.Int).SetString(f.Value, 10); ok {
			f.Human = lab.Amount(vc.Address, v)
		}
	}
	if f := find(t.Message, "allowed"); f != nil && f.Type == "bool" {
		if f.Value == "true" {
			f.Human = "unlimited"
			if tok, ok := lab.Token(vc.Address); ok {
				f.Human += " " + tok.Symbol
			}
			// DAI reads expiry 0 as "never expires": the opposite of what
			// 1970 suggests.
			if exp := find(t.Message, "expiry"); exp != nil && exp.Value == "0" {
				exp.Human = "never: 0 means no expiry in DAI-style permits"
			}
		} else {
			f.Human = "none: revokes the allowance"
		}
	}
}

func find(fields []Field, name string) *Field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}

func isInt(typ string) bool {
	at, ok := atomic(typ)
	return ok && (at.kind == kindUint || at.kind == kindInt)
}

// date renders a Unix time as a UTC date.
func date(v string) string {
	x, ok := new(big.Int).SetString(v, 10)
	switch {
	case !ok || x.Sign() < 0:
		return ""
	case x.Cmp(big.NewInt(lastDate)) > 0:
		return "after year 9999"
	}
	return time.Unix(x.Int64(), 0).UTC().Format("2006-01-02 15:04:05 UTC")
}
