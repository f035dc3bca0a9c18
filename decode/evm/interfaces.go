package evm

import (
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// Interface names reported in Analysis.Interfaces.
const (
	IfaceERC20         = "erc20"
	IfaceERC721        = "erc721"
	IfaceERC1155       = "erc1155"
	IfaceERC4626       = "erc4626"
	IfaceERC165        = "erc165"
	IfaceOwnable       = "ownable"
	IfaceAccessControl = "access-control"
	IfaceEIP2612       = "eip2612-permit"
	IfacePermit2Aware  = "permit2-aware"
)

// known is a selector with the signature it hashes from; the test checks
// every pair, so a typo cannot silently change a fact.
type known struct {
	sel uint32
	sig string
}

// interfaces are implied by the selector set when all of a list are present.
// The lists are the functions that tell a standard apart, not every optional
// one: ERC-721 and ERC-20 share balanceOf, so ERC-721 also needs ownerOf.
var interfaces = []struct {
	name string
	sels []known
}{
	{IfaceERC20, []known{
		{0x18160ddd, "totalSupply()"}, {0x70a08231, "balanceOf(address)"},
		{0xa9059cbb, "transfer(address,uint256)"}, {0x23b872dd, "transferFrom(address,address,uint256)"},
		{0x095ea7b3, "approve(address,uint256)"}, {0xdd62ed3e, "allowance(address,address)"},
	}},
	{IfaceERC721, []known{
		{0x70a08231, "balanceOf(address)"}, {0x6352211e, "ownerOf(uint256)"},
		{0x42842e0e, "safeTransferFrom(address,address,uint256)"},
		{0xb88d4fde, "safeTransferFrom(address,address,uint256,bytes)"},
		{0x23b872dd, "transferFrom(address,address,uint256)"}, {0x095ea7b3, "approve(address,uint256)"},
		{0xa22cb465, "setApprovalForAll(address,bool)"}, {0x081812fc, "getApproved(uint256)"},
		{0xe985e9c5, "isApprovedForAll(address,address)"},
	}},
	{IfaceERC1155, []known{
		{0xf242432a, "safeTransferFrom(address,address,uint256,uint256,bytes)"},
		{0x2eb2c2d6, "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)"},
		{0x00fdd58e, "balanceOf(address,uint256)"}, {0x4e1273f4, "balanceOfBatch(address[],uint256[])"},
		{0xa22cb465, "setApprovalForAll(address,bool)"}, {0xe985e9c5, "isApprovedForAll(address,address)"},
	}},
	{IfaceERC4626, []known{
		{0x38d52e0f, "asset()"}, {0x01e1d114, "totalAssets()"},
		{0xc6e6f592, "convertToShares(uint256)"}, {0x07a2d13a, "convertToAssets(uint256)"},
		{0x6e553f65, "deposit(uint256,address)"}, {0x94bf804d, "mint(uint256,address)"},
		{0xb460af94, "withdraw(uint256,address,address)"}, {0xba087652, "redeem(uint256,address,address)"},
	}},
	{IfaceERC165, []known{{0x01ffc9a7, "supportsInterface(bytes4)"}}},
	{IfaceOwnable, []known{{0x8da5cb5b, "owner()"}, {0xf2fde38b, "transferOwnership(address)"}}},
	{IfaceAccessControl, []known{
		{0x91d14854, "hasRole(bytes32,address)"}, {0x2f2ff15d, "grantRole(bytes32,address)"},
		{0xd547741f, "revokeRole(bytes32,address)"}, {0x248a9ca3, "getRoleAdmin(bytes32)"},
	}},
	{IfaceEIP2612, []known{
		{0xd505accf, "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"},
		{0x7ecebe00, "nonces(address)"}, {0x3644e515, "DOMAIN_SEPARATOR()"},
	}},
}

// Selectors that mark proxies and upgradeability.
var (
	selProxiableUUID = known{0x52d1902d, "proxiableUUID()"}
	selMasterCopy    = known{0xa619486e, "masterCopy()"}
	selDiamondCut    = known{0x1f931c1c, "diamondCut((address,uint8,bytes4[])[],address,bytes)"}
	selFacets        = known{0x7a0ed627, "facets()"}
	selFacetAddress  = known{0xcdffacc6, "facetAddress(bytes4)"}
)

// permit2 is Uniswap's Permit2, deployed at the same address on every chain.
var permit2 = common.HexToAddress("0x000000000022D473030F116dDEE9F6B43aC78BA3")

// permit2Calls are Permit2's entry points: code that encodes one of them
// calls Permit2, wherever the address comes from.
var permit2Calls = []known{
	{0x30f28b7a, "permitTransferFrom(((address,uint256),uint256,uint256),(address,uint256),address,bytes)"},
	{0x137c29fe, "permitWitnessTransferFrom(((address,uint256),uint256,uint256),(address,uint256),address,bytes32,string,bytes)"},
	{0xedd9444b, "permitTransferFrom(((address,uint256)[],uint256,uint256),(address,uint256)[],address,bytes)"},
	{0x2b67b570, "permit(address,((address,uint160,uint48,uint48),address,uint256),bytes)"},
	{0x2a2d80d1, "permit(address,((address,uint160,uint48,uint48)[],address,uint256),bytes)"},
	{0x36c78516, "transferFrom(address,address,uint160,address)"},
	{0x87517c45, "approve(address,address,uint160,uint48)"},
}

// impliedInterfaces lists the interfaces whose selectors sels (sorted)
// all contains.
func impliedInterfaces(sels []uint32) []string {
	var out []string
	for _, i := range interfaces {
		all := true
		for _, k := range i.sels {
			if _, ok := slices.BinarySearch(sels, k.sel); !ok {
				all = false
				break
			}
		}
		if all {
			out = append(out, i.name)
		}
	}
	return out
}

func hasSelector(sels []uint32, k known) bool {
	_, ok := slices.BinarySearch(sels, k.sel)
	return ok
}
