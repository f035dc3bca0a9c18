package node

import (
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// A contract account (a Safe, an ERC-4337 account) never sends a
// transaction itself: its calls run in a transaction someone else (an
// owner, a bundler) sent, so tx.origin is not the account. Simulating its
// calls as sent from the account would make tx.origin the account, which
// a drainer can test for (tx.origin != msg.sender) to behave in the
// simulation only. So the account's code is overridden with forwarderCode
// and its own code moved to shadowAccount: a call from the transaction's
// origin carrying forwardMagic is made by the account (msg.sender is the
// account, tx.origin the origin); any other call to the account (a token's
// callback, ETH sent back) runs the account's own code by DELEGATECALL, in
// the account's storage, as before.
//
// forwarderCode, assembled by hand:
//
//	if caller == origin && calldatasize >= 68 && calldata[0:4] == forwardMagic:
//	    call(gas, calldata[4:36], calldata[36:68], calldata[68:]); return or revert its data
//	else:
//	    delegatecall(gas, shadowAccount, calldata); return or revert its data
var (
	forwarderCode = common.FromHex("0x33321460443610151660003560e01c637e7e7e7e14166100515736600060003760006000366000735ad0e15ad0e15ad0e15ad0e15ad0e15ad0e15ad05af43d600060003e61004c573d6000fd5b3d6000f35b60443603806044600037600060008260006024356004355af13d600060003e610079573d6000fd5b3d6000f3")
	shadowAccount = common.HexToAddress("0x5ad0e15ad0e15ad0e15ad0e15ad0e15ad0e15ad0")
	forwardMagic  = []byte{0x7e, 0x7e, 0x7e, 0x7e}
	// relayer is tx.origin when the signer is unknown or is the account.
	relayer = common.BytesToAddress(crypto.Keccak256([]byte("txguard relayer"))[12:])
)

// forward makes the plan's calls run from a contract account through the
// forwarder, when the account has code of its own (not a 7702
// delegation: an EOA sends its own batch, and is its own tx.origin) and
// no call is a creation.
func (p *plan) forward(code []byte, origin common.Address) {
	if len(code) == 0 || p.overrides[p.account].Code != nil {
		return
	}
	if _, ok := types.ParseDelegation(code); ok {
		return
	}
	for _, m := range p.calls {
		if m.To == nil || m.From != p.account {
			return
		}
	}
	if origin == (common.Address{}) || origin == p.account {
		origin = relayer
	}
	if p.overrides == nil {
		p.overrides = map[common.Address]ethereum.OverrideAccount{}
	}
	p.overrides[p.account] = ethereum.OverrideAccount{Code: forwarderCode}
	p.overrides[shadowAccount] = ethereum.OverrideAccount{Code: code}
	for i, m := range p.calls {
		value := m.Value
		if value == nil {
			value = new(big.Int)
		}
		data := append(append(append([]byte{}, forwardMagic...), common.LeftPadBytes(m.To.Bytes(), 32)...), common.LeftPadBytes(value.Bytes(), 32)...)
		account := p.account
		p.calls[i] = ethereum.CallMsg{From: origin, To: &account, Data: append(data, m.Data...)}
	}
}
