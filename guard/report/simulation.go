package report

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/guard"
)

// SimLines says what the user's node simulated, a line per fact, for the
// text report, Markdown and the verdict screen: the balance changes (the
// account's first), approvals, each call's outcome; or the exposure of a
// signature; or why nothing was simulated. nil without a node.
func SimLines(v *guard.Verdict) []string {
	s := v.Simulation
	if s == nil {
		return nil
	}
	switch s.Status {
	case guard.SimExposure:
		out := []string{fmt.Sprintf("a signature is used later, so it is not simulated; read at block %d on %s:", s.Block, s.Node)}
		for _, e := range s.Exposure {
			line := "  " + holderName(s, e.Owner) + " holds " + amountOr(e.Asset, e.Balance)
			if e.Allowance != nil {
				line += "; allowance to " + e.AllowanceTo.Hex() + ": " + amountOr(e.Asset, e.Allowance)
			}
			out = append(out, line)
		}
		return out
	case guard.SimOK:
	default:
		return []string{"not simulated: " + s.Reason}
	}
	out := []string{fmt.Sprintf("simulated on %s at block %d (%s):", s.Node, s.Block, s.Method)}
	holders := 0
	for i := 0; i < len(s.Changes); {
		h := s.Changes[i].Holder
		var parts []string
		for ; i < len(s.Changes) && s.Changes[i].Holder == h; i++ {
			parts = append(parts, s.Changes[i].Human)
		}
		if holders++; holders > 6 {
			out = append(out, "  … and more holders (the JSON lists them all)")
			break
		}
		out = append(out, "  "+holderName(s, h)+": "+strings.Join(parts, ", "))
	}
	if len(s.Changes) == 0 {
		out = append(out, "  no balance changes")
	}
	for i, g := range s.Approvals {
		if i == 4 {
			out = append(out, fmt.Sprintf("  … %d more approvals", len(s.Approvals)-4))
			break
		}
		what := "operator of every token"
		if !g.Operator {
			what = "allowance " + amountOr(g.Asset, g.Amount)
		}
		if g.Revoked {
			what = "revoked"
		}
		out = append(out, fmt.Sprintf("  approval: %s gives %s %s (%s)", holderName(s, g.Owner), g.Spender.Hex(), what, g.Asset.Symbol))
	}
	for _, c := range s.Calls {
		state := "succeeds"
		if !c.Success {
			state = "REVERTS"
			if c.Revert != "" {
				state += ": " + c.Revert
			}
		}
		out = append(out, fmt.Sprintf("  %s %s, gas %d", c.Path, state, c.GasUsed))
	}
	if s.Reason != "" {
		out = append(out, "  note: "+s.Reason)
	}
	return out
}

func holderName(s *guard.Simulation, a common.Address) string {
	if a == s.Account {
		return "account " + a.Hex()
	}
	return a.Hex()
}

func amountOr(a guard.Asset, d *guard.Dec) string {
	if d == nil {
		return "unknown"
	}
	return guard.AssetAmount(a, d.Int)
}
