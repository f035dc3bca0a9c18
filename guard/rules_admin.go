package guard

func safeDelegatecall(c *Context, r *Rule) []Finding { return nil }

func safeOwnerChange(c *Context, r *Rule) []Finding { return nil }

func safeModuleGuard(c *Context, r *Rule) []Finding { return nil }

func safeGasRefund(c *Context, r *Rule) []Finding { return nil }

func proxyUpgrade(c *Context, r *Rule) []Finding { return nil }

func ownershipTransfer(c *Context, r *Rule) []Finding { return nil }
