package calldata

// The Universal Router command tables below are transcribed from Uniswap's own sources on npm:
//
//   - @uniswap/universal-router@2.1.0: contracts/libraries/Commands.sol (command bytes and names),
//     contracts/base/Dispatcher.sol (input names, from its "equivalent: abi.decode(...)" comments
//     and the local variables it decodes into), contracts/interfaces/IUniversalRouter.sol
//     (AcrossV4DepositV3Params). @uniswap/universal-router@2.0.0 has the same commands except
//     ACROSS_V4_DEPOSIT_V3 and masks command bytes with 0x3f instead of 0x7f.
//   - @uniswap/universal-router-sdk@5.13.0: dist/cjs/src/utils/routerCommands.js, COMMAND_DEFINITION
//     (the parameter types the SDK encodes for each CommandType, and PAY_PORTION_FULL_PRECISION,
//     which the SDK sends only to routers at version 2.1.1 or later).
//   - @uniswap/universal-router@1.6.0: contracts/libraries/Commands.sol and contracts/base/Dispatcher.sol
//     for the 1.x table; its layout (SEAPORT_V1_5, LOOKS_RARE_V2, ...) is the one deployed as
//     Universal Router v1.2. @uniswap/universal-router-sdk@1.9.0 (ABI_DEFINITION in
//     dist/universal-router-sdk.cjs.development.js) gives the same types without names.
//
// Where Dispatcher and SDK name an input differently, the Dispatcher's name is used (permitSingle
// rather than the SDK's permit), except signature for the Permit2 signature bytes (the Dispatcher's
// local is called data).

// urCommand is one Universal Router command: its name as Uniswap's Commands.sol spells it and
// its inputs as a Solidity parameter list with names, parsed once with abi.NewType at first use.
type urCommand struct {
	name   string
	inputs []urInput
}

type urInput struct {
	name       string
	typ        string    // a Solidity type; tuples as "(uint160 amount,uint48 expiration,...)" is NOT parseable by abi.NewType, so give tuple inputs as typ "tuple" with components below
	components []urInput // only for typ "tuple" or "tuple[]"
}

// Shapes shared by both tables.
var (
	// IAllowanceTransfer.PermitDetails.
	urPermitDetails = []urInput{
		{name: "token", typ: "address"},
		{name: "amount", typ: "uint160"},
		{name: "expiration", typ: "uint48"},
		{name: "nonce", typ: "uint48"},
	}
	// IAllowanceTransfer.PermitSingle followed by the owner's signature.
	urPermit2Permit = []urInput{
		{name: "permitSingle", typ: "tuple", components: []urInput{
			{name: "details", typ: "tuple", components: urPermitDetails},
			{name: "spender", typ: "address"},
			{name: "sigDeadline", typ: "uint256"},
		}},
		{name: "signature", typ: "bytes"},
	}
	// IAllowanceTransfer.PermitBatch followed by the owner's signature.
	urPermit2PermitBatch = []urInput{
		{name: "permitBatch", typ: "tuple", components: []urInput{
			{name: "details", typ: "tuple[]", components: urPermitDetails},
			{name: "spender", typ: "address"},
			{name: "sigDeadline", typ: "uint256"},
		}},
		{name: "signature", typ: "bytes"},
	}
	// IAllowanceTransfer.AllowanceTransferDetails[].
	urPermit2TransferFromBatch = []urInput{
		{name: "batchDetails", typ: "tuple[]", components: []urInput{
			{name: "from", typ: "address"},
			{name: "to", typ: "address"},
			{name: "amount", typ: "uint160"},
			{name: "token", typ: "address"},
		}},
	}
	urV3SwapExactIn = []urInput{
		{name: "recipient", typ: "address"},
		{name: "amountIn", typ: "uint256"},
		{name: "amountOutMin", typ: "uint256"},
		{name: "path", typ: "bytes"}, // packed token(20) fee(3) token(20) ...
		{name: "payerIsUser", typ: "bool"},
	}
	urV3SwapExactOut = []urInput{
		{name: "recipient", typ: "address"},
		{name: "amountOut", typ: "uint256"},
		{name: "amountInMax", typ: "uint256"},
		{name: "path", typ: "bytes"}, // packed and reversed: output token first
		{name: "payerIsUser", typ: "bool"},
	}
	urV2SwapExactIn = []urInput{
		{name: "recipient", typ: "address"},
		{name: "amountIn", typ: "uint256"},
		{name: "amountOutMin", typ: "uint256"},
		{name: "path", typ: "address[]"},
		{name: "payerIsUser", typ: "bool"},
	}
	urV2SwapExactOut = []urInput{
		{name: "recipient", typ: "address"},
		{name: "amountOut", typ: "uint256"},
		{name: "amountInMax", typ: "uint256"},
		{name: "path", typ: "address[]"},
		{name: "payerIsUser", typ: "bool"},
	}
	urBalanceCheckERC20 = []urInput{
		{name: "owner", typ: "address"},
		{name: "token", typ: "address"},
		{name: "minBalance", typ: "uint256"},
	}
	urSubPlanInputs = []urInput{
		{name: "commands", typ: "bytes"},
		{name: "inputs", typ: "bytes[]"},
	}
	// (value sent with the call, calldata for the marketplace): the 1.x NFT commands.
	urValueData = []urInput{
		{name: "value", typ: "uint256"},
		{name: "data", typ: "bytes"},
	}
)

// urTokenRecipient is (address token, address recipient, uint256 third): SWEEP, TRANSFER,
// PAY_PORTION and SWEEP_ERC721 differ only in the third word's name.
func urTokenRecipient(third string) []urInput {
	return []urInput{{name: "token", typ: "address"}, {name: "recipient", typ: "address"}, {name: third, typ: "uint256"}}
}

// urSharedCommands are the commands Universal Router 1.x and 2.x encode
// alike, so both tables are built from one list of them.
var urSharedCommands = map[byte]urCommand{
	0x00: {"V3_SWAP_EXACT_IN", urV3SwapExactIn},
	0x01: {"V3_SWAP_EXACT_OUT", urV3SwapExactOut},
	0x02: {"PERMIT2_TRANSFER_FROM", []urInput{
		{name: "token", typ: "address"},
		{name: "recipient", typ: "address"},
		{name: "amount", typ: "uint160"},
	}},
	0x03: {"PERMIT2_PERMIT_BATCH", urPermit2PermitBatch},
	0x04: {"SWEEP", urTokenRecipient("amountMin")},
	0x05: {"TRANSFER", urTokenRecipient("value")},
	0x06: {"PAY_PORTION", urTokenRecipient("bips")},
	0x08: {"V2_SWAP_EXACT_IN", urV2SwapExactIn},
	0x09: {"V2_SWAP_EXACT_OUT", urV2SwapExactOut},
	0x0a: {"PERMIT2_PERMIT", urPermit2Permit},
	// The 1.x Dispatcher's local is called amountMin, but it is the amount wrapped: Payments.wrapETH(recipient, amount).
	0x0b: {"WRAP_ETH", []urInput{{name: "recipient", typ: "address"}, {name: "amount", typ: "uint256"}}},
	0x0c: {"UNWRAP_WETH", []urInput{{name: "recipient", typ: "address"}, {name: "amountMin", typ: "uint256"}}},
	0x0d: {"PERMIT2_TRANSFER_FROM_BATCH", urPermit2TransferFromBatch},
	0x0e: {"BALANCE_CHECK_ERC20", urBalanceCheckERC20},
	0x21: {"EXECUTE_SUB_PLAN", urSubPlanInputs},
}

// withSharedCommands adds the shared commands to a version's own.
func withSharedCommands(own map[byte]urCommand) map[byte]urCommand {
	for b, c := range urSharedCommands {
		own[b] = c
	}
	return own
}

// urCommandsV2 is the command table of the Universal Router 2.0 (with Uniswap V4), keyed by the command byte masked with 0x3f,
// on top of the commands both versions share.
//
// Router 2.1 and later mask with 0x7f (Commands.COMMAND_TYPE_MASK in @uniswap/universal-router@2.1.0)
// and put third-party commands at 0x40-0x5f: ACROSS_V4_DEPOSIT_V3 is keyed 0x40 and is reached only
// through that mask. Every other key is below 0x40, where the two masks agree.
//
// A nil inputs means the input is not an ABI parameter list but the raw calldata (selector and
// arguments) that the router forwards to a position manager.
var urCommandsV2 = withSharedCommands(map[byte]urCommand{
	// Routers 2.1.1 and later (per the SDK; not in the 2.1.0 contracts): portion is scaled by 1e18, not 1e4.
	0x07: {"PAY_PORTION_FULL_PRECISION", urTokenRecipient("portion")},
	// The Dispatcher hands the input to V4Router._executeActions, which decodes it with
	// CalldataDecoder.decodeActionsRouterParams as (bytes actions, bytes[] params): one action
	// byte per V4 action (swap, settle, take, ...) and its ABI-encoded parameters.
	0x10: {"V4_SWAP", []urInput{{name: "actions", typ: "bytes"}, {name: "params", typ: "bytes[]"}}},
	// Raw calldata for the V3 NonfungiblePositionManager; the router allows only permit(...).
	0x11: {"V3_POSITION_MANAGER_PERMIT", nil},
	// Raw calldata for the V3 NonfungiblePositionManager; the router allows only
	// decreaseLiquidity, collect and burn, on positions the sender owns or may manage.
	0x12: {"V3_POSITION_MANAGER_CALL", nil},
	0x13: {"V4_INITIALIZE_POOL", []urInput{
		{name: "poolKey", typ: "tuple", components: []urInput{
			{name: "currency0", typ: "address"},
			{name: "currency1", typ: "address"},
			{name: "fee", typ: "uint24"},
			{name: "tickSpacing", typ: "int24"},
			{name: "hooks", typ: "address"},
		}},
		{name: "sqrtPriceX96", typ: "uint160"},
	}},
	// Raw calldata for the V4 PositionManager; the router allows only modifyLiquidities(bytes,uint256)
	// and, inside it, only minting. It is sent with the router's whole ETH balance.
	0x14: {"V4_POSITION_MANAGER_CALL", nil},
	// Router 2.1+: ChainedActions decodes the input as one AcrossV4DepositV3Params tuple and calls
	// the Across SpokePool's depositV3 (a cross-chain bridge deposit).
	0x40: {"ACROSS_V4_DEPOSIT_V3", []urInput{
		{name: "params", typ: "tuple", components: []urInput{
			{name: "depositor", typ: "address"},
			{name: "recipient", typ: "address"},
			{name: "inputToken", typ: "address"},
			{name: "outputToken", typ: "address"},
			{name: "inputAmount", typ: "uint256"},
			{name: "outputAmount", typ: "uint256"},
			{name: "destinationChainId", typ: "uint256"},
			{name: "exclusiveRelayer", typ: "address"},
			{name: "quoteTimestamp", typ: "uint32"},
			{name: "fillDeadline", typ: "uint32"},
			{name: "exclusivityDeadline", typ: "uint32"},
			{name: "message", typ: "bytes"},
			{name: "useNative", typ: "bool"},
		}},
	}},
})

// urCommandsV1 is the table of Universal Router 1.x (v1.2 with NFT marketplace commands), for routers deployed before V4,
// on top of the commands both versions share.
var urCommandsV1 = withSharedCommands(map[byte]urCommand{
	0x10: {"SEAPORT_V1_5", urValueData},
	0x11: {"LOOKS_RARE_V2", urValueData},
	0x12: {"NFTX", urValueData},
	0x13: {"CRYPTOPUNKS", []urInput{
		{name: "punkId", typ: "uint256"},
		{name: "recipient", typ: "address"},
		{name: "value", typ: "uint256"},
	}},
	0x15: {"OWNER_CHECK_721", []urInput{
		{name: "owner", typ: "address"},
		{name: "token", typ: "address"},
		{name: "id", typ: "uint256"},
	}},
	0x16: {"OWNER_CHECK_1155", []urInput{
		{name: "owner", typ: "address"},
		{name: "token", typ: "address"},
		{name: "id", typ: "uint256"},
		{name: "minBalance", typ: "uint256"},
	}},
	0x17: {"SWEEP_ERC721", urTokenRecipient("id")},
	// callAndTransfer721: call the marketplace with value and data, then send the bought ERC-721 to recipient.
	0x18: {"X2Y2_721", []urInput{
		{name: "value", typ: "uint256"},
		{name: "data", typ: "bytes"},
		{name: "recipient", typ: "address"},
		{name: "token", typ: "address"},
		{name: "id", typ: "uint256"},
	}},
	0x19: {"SUDOSWAP", urValueData},
	0x1a: {"NFT20", urValueData},
	// callAndTransfer1155: as X2Y2_721, for an amount of an ERC-1155 id.
	0x1b: {"X2Y2_1155", []urInput{
		{name: "value", typ: "uint256"},
		{name: "data", typ: "bytes"},
		{name: "recipient", typ: "address"},
		{name: "token", typ: "address"},
		{name: "id", typ: "uint256"},
		{name: "amount", typ: "uint256"},
	}},
	0x1c: {"FOUNDATION", []urInput{
		{name: "value", typ: "uint256"},
		{name: "data", typ: "bytes"},
		{name: "recipient", typ: "address"},
		{name: "token", typ: "address"},
		{name: "id", typ: "uint256"},
	}},
	0x1d: {"SWEEP_ERC1155", []urInput{
		{name: "token", typ: "address"},
		{name: "recipient", typ: "address"},
		{name: "id", typ: "uint256"},
		{name: "amount", typ: "uint256"},
	}},
	0x1e: {"ELEMENT_MARKET", urValueData},
	0x20: {"SEAPORT_V1_4", urValueData},
	// Approves a fixed spender for the token's maximum: spender is PaymentsImmutables.Spenders,
	// 0 = the OpenSea conduit, 1 = Sudoswap (the SDK encodes it as uint256).
	0x22: {"APPROVE_ERC20", []urInput{{name: "token", typ: "address"}, {name: "spender", typ: "uint256"}}},
})
