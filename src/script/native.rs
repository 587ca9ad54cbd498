//! Rules in the arithmetic subset of rhai, compiled to a native tree.
//!
//! Most vendor rules are loop-free arithmetic on decimals: literals, the
//! context's variables and metrics, `+ − × ÷ %`, comparisons, `&&` `||` `!`,
//! `if`/`else`, `let`, `return`, and perfpay's helpers (`tier`, `clamp`,
//! `min`, `max`, `percent`, `round_money`). For such a rule, compilation also
//! builds this tree, which evaluates the same operations directly.
//!
//! The tree only ever answers with a *successful* value computed by the same
//! functions rhai calls (`Decimal::checked_add` and friends, the helpers'
//! shared implementations). Anything else — an overflow, a division by zero,
//! a value of an unexpected type, an `if` without `else` that yields `()` —
//! makes it decline, and the rule runs in rhai, which gives the
//! authoritative result or error with its position. Rules are pure, so
//! running them again is safe. A rule outside the subset is never compiled
//! to a tree at all. `prop_compiled_rules_agree_with_rhai` checks the two
//! paths give the same answers on generated rules and inputs.
//!
//! The sandbox stays whole: the subset has no loops, no function
//! definitions, no strings beyond a literal table name, so a tree's work is
//! bounded by its size, which compilation checks against the operation
//! limit.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhai::{AST, ASTFlags, Expr, FnCallExpr, INT, Stmt, StmtBlock};
use rust_decimal::Decimal;

use super::library::helpers;
use crate::money::{Parts, RoundingPolicy, cmp_parts};
use crate::tier::TierTable;

pub(super) mod typed;

/// The most slots (inputs and `let` variables) a tree may use; they live in
/// an array on the stack during evaluation.
pub(super) const MAX_SLOTS: usize = 16;

/// A value during evaluation. `repr(C, u8)` puts the payload at an 8-byte
/// boundary: with the default layout the decimal could sit unaligned, and
/// every copy of a value paid for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, u8)]
pub(super) enum Value {
    Int(INT),
    Dec(Decimal),
    Bool(bool),
    Unit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug)]
enum Helper {
    Tier(Arc<TierTable>),
    RoundMoney(RoundingPolicy),
    Percent,
    Clamp,
    Min,
    Max,
}

#[derive(Clone, Debug)]
enum Node {
    Const(Value),
    Slot(usize),
    Neg(Box<Node>),
    Plus(Box<Node>),
    Not(Box<Node>),
    Binary(Op, Box<Node>, Box<Node>),
    /// `&&` (stops at the first `false`) or `||` (stops at the first
    /// `true`): the value that stops it, and the operands.
    Logic(bool, Vec<Node>),
    If(Box<Node>, Block, Block),
    Block(Block),
    Call(Helper, Vec<Node>),
}

#[derive(Clone, Debug)]
enum Statement {
    Let(usize, Node),
    Eval(Node),
    Return(Option<Node>),
}

#[derive(Clone, Debug, Default)]
struct Block(Vec<Statement>);

/// A rule compiled to a tree; `inputs` names the values read from the
/// evaluation's scope, each with the slot it is read into. A rule whose
/// every value's type is known also has a typed form, which runs instead
/// (see [`typed`]).
#[derive(Debug)]
pub(super) struct Tree {
    inputs: Vec<(String, usize)>,
    body: Block,
    typed: Option<typed::Program>,
}

struct Compiler<'a> {
    /// `let` names in scope, innermost last, with their slots.
    names: Vec<(String, usize)>,
    /// Names read from the evaluation's scope, with their slots.
    inputs: Vec<(String, usize)>,
    known: &'a dyn Fn(&str) -> bool,
    tables: &'a BTreeMap<String, TierTable>,
    rounding: RoundingPolicy,
    slots: usize,
    nodes: u64,
}

impl Tree {
    /// The tree of `ast`, or `None` when the rule uses anything outside the
    /// subset. `known(name)` says whether a variable comes from the
    /// evaluation's scope (the context's variables and declared metrics);
    /// the tree's size must stay under `operations` and its `let`s under
    /// `variables`, so that rhai's limits could never have stopped it.
    pub(super) fn compile(
        ast: &AST,
        known: &dyn Fn(&str) -> bool,
        tables: &BTreeMap<String, TierTable>,
        rounding: RoundingPolicy,
        (operations, variables): (u64, usize),
    ) -> Option<Tree> {
        if ast.has_functions() {
            return None;
        }
        let mut c = Compiler {
            names: Vec::new(),
            inputs: Vec::new(),
            known,
            tables,
            rounding,
            slots: 0,
            nodes: 0,
        };
        let body = c.block(ast.statements())?;
        // each node is at most a few of rhai's operations; stay well inside
        let lets = c.slots.saturating_sub(c.inputs.len());
        if c.slots > MAX_SLOTS || c.nodes.saturating_mul(4) >= operations || lets >= variables {
            return None;
        }
        let typed = typed::Program::compile(&body, c.inputs.iter().map(|(_, slot)| *slot));
        Some(Tree {
            inputs: c.inputs,
            body,
            typed,
        })
    }

    /// The rule's typed form, which runs instead of the tree when there is
    /// one.
    pub(super) fn typed(&self) -> Option<&typed::Program> {
        self.typed.as_ref()
    }

    /// The names of the inputs, each with its slot.
    pub(super) fn inputs(&self) -> &[(String, usize)] {
        &self.inputs
    }

    /// Evaluates with each input in its slot; `None` when the tree declines
    /// (see the module documentation).
    pub(super) fn run(&self, slots: &mut [Value; MAX_SLOTS]) -> Option<Value> {
        let mut returned = None;
        match run_block(&self.body, slots, &mut returned) {
            Some(v) => Some(v),
            // a `return` stops evaluation with its value; otherwise declined
            None => returned,
        }
    }
}

impl Compiler<'_> {
    fn slot(&mut self) -> Option<usize> {
        let s = self.slots;
        self.slots = self.slots.saturating_add(1);
        (self.slots <= MAX_SLOTS).then_some(s)
    }

    fn lookup(&mut self, name: &str) -> Option<usize> {
        if let Some((_, slot)) = self.names.iter().rev().find(|(n, _)| n == name) {
            return Some(*slot);
        }
        if let Some((_, slot)) = self.inputs.iter().find(|(n, _)| n == name) {
            return Some(*slot);
        }
        if !(self.known)(name) {
            return None;
        }
        let slot = self.slot()?;
        self.inputs.push((name.to_owned(), slot));
        Some(slot)
    }

    fn block(&mut self, statements: &[Stmt]) -> Option<Block> {
        let depth = self.names.len();
        let mut out = Vec::with_capacity(statements.len());
        for s in statements {
            self.nodes = self.nodes.saturating_add(1);
            out.push(match s {
                Stmt::Noop(_) => continue,
                Stmt::Var(x, _, _) => {
                    let value = self.expr(&x.1)?;
                    let slot = self.slot()?;
                    self.names.push((x.0.name.to_string(), slot));
                    Statement::Let(slot, value)
                }
                Stmt::Expr(e) => Statement::Eval(self.expr(e)?),
                Stmt::If(flow, _) => Statement::Eval(self.if_else(&flow.expr, &flow.body, &flow.branch)?),
                Stmt::Block(b) => Statement::Eval(Node::Block(self.block(b.statements())?)),
                Stmt::FnCall(call, _) => Statement::Eval(self.call(call)?),
                Stmt::Return(value, flags, _) if !flags.contains(ASTFlags::BREAK) => {
                    Statement::Return(match value {
                        Some(e) => Some(self.expr(e)?),
                        None => None,
                    })
                }
                _ => return None,
            });
        }
        // names declared in the block go out of scope with it
        self.names.truncate(depth);
        Some(Block(out))
    }

    fn if_else(&mut self, cond: &Expr, then: &StmtBlock, otherwise: &StmtBlock) -> Option<Node> {
        Some(Node::If(
            Box::new(self.expr(cond)?),
            self.block(then.statements())?,
            self.block(otherwise.statements())?,
        ))
    }

    fn expr(&mut self, e: &Expr) -> Option<Node> {
        self.nodes = self.nodes.saturating_add(1);
        Some(match e {
            Expr::IntegerConstant(i, _) => Node::Const(Value::Int(*i)),
            Expr::BoolConstant(b, _) => Node::Const(Value::Bool(*b)),
            Expr::Unit(_) => Node::Const(Value::Unit),
            Expr::DynamicConstant(d, _) => Node::Const(constant(d)?),
            Expr::Variable(x, _, _) => Node::Slot(self.lookup(x.1.as_str())?),
            Expr::Stmt(block) => Node::Block(self.block(block.statements())?),
            Expr::FnCall(call, _) => self.call(call)?,
            Expr::And(operands, _) | Expr::Or(operands, _) => Node::Logic(
                matches!(e, Expr::Or(..)),
                operands.iter().map(|o| self.expr(o)).collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }

    fn call(&mut self, call: &FnCallExpr) -> Option<Node> {
        if call.capture_parent_scope {
            return None;
        }
        let name = call.name.as_str();
        let args = call.args.as_slice();
        if call.op_token.is_some() {
            return match (name, args) {
                ("-", [x]) => Some(Node::Neg(Box::new(self.expr(x)?))),
                ("+", [x]) => Some(Node::Plus(Box::new(self.expr(x)?))),
                ("!", [x]) => Some(Node::Not(Box::new(self.expr(x)?))),
                (_, [a, b]) => {
                    let op = match name {
                        "+" => Op::Add,
                        "-" => Op::Sub,
                        "*" => Op::Mul,
                        "/" => Op::Div,
                        "%" => Op::Rem,
                        "==" => Op::Eq,
                        "!=" => Op::Ne,
                        "<" => Op::Lt,
                        "<=" => Op::Le,
                        ">" => Op::Gt,
                        ">=" => Op::Ge,
                        _ => return None,
                    };
                    Some(Node::Binary(op, Box::new(self.expr(a)?), Box::new(self.expr(b)?)))
                }
                _ => None,
            };
        }
        let helper = match (name, args.len()) {
            ("tier", 2) => match args.first() {
                Some(Expr::StringConstant(table, _)) => {
                    Helper::Tier(Arc::new(self.tables.get(table.as_str())?.clone()))
                }
                _ => return None,
            },
            ("round_money", 1) => Helper::RoundMoney(self.rounding),
            ("percent", 1) => Helper::Percent,
            ("clamp", 3) => Helper::Clamp,
            ("min", 2) => Helper::Min,
            ("max", 2) => Helper::Max,
            _ => return None,
        };
        // tier's table is resolved now; only its amount is evaluated
        let rest = if matches!(helper, Helper::Tier(_)) {
            args.get(1..)?
        } else {
            args
        };
        let args = rest.iter().map(|a| self.expr(a)).collect::<Option<Vec<_>>>()?;
        Some(Node::Call(helper, args))
    }
}

fn constant(d: &rhai::Dynamic) -> Option<Value> {
    if let Some(x) = d.clone().try_cast::<Decimal>() {
        return Some(Value::Dec(x));
    }
    if let Ok(i) = d.as_int() {
        return Some(Value::Int(i));
    }
    if let Ok(b) = d.as_bool() {
        return Some(Value::Bool(b));
    }
    d.is_unit().then_some(Value::Unit)
}

/// Runs a block: the value of its last statement, or `()`. `None` stops
/// evaluation: after a `return` (its value is in `returned`) or when the
/// tree declines.
fn run_block(block: &Block, slots: &mut [Value; MAX_SLOTS], returned: &mut Option<Value>) -> Option<Value> {
    let mut last = Value::Unit;
    for s in &block.0 {
        match s {
            Statement::Let(slot, value) => {
                *slots.get_mut(*slot)? = eval(value, slots, returned)?;
                last = Value::Unit;
            }
            Statement::Eval(node) => last = eval(node, slots, returned)?,
            Statement::Return(value) => {
                let v = match value {
                    Some(node) => eval(node, slots, returned)?,
                    None => Value::Unit,
                };
                *returned = Some(v);
                return None;
            }
        }
    }
    Some(last)
}

/// Evaluates an operand: a constant or a slot (most operands) read in
/// place, anything else through [`eval`] — one recursive call fewer per
/// leaf, which is most of what a tree's evaluation costs beyond its
/// arithmetic.
#[inline(always)]
fn operand(node: &Node, slots: &mut [Value; MAX_SLOTS], returned: &mut Option<Value>) -> Option<Value> {
    match node {
        Node::Const(v) => Some(*v),
        Node::Slot(s) => slots.get(*s).copied(),
        _ => eval(node, slots, returned),
    }
}

/// Evaluates a node; `None` stops evaluation (see [`run_block`]).
fn eval(node: &Node, slots: &mut [Value; MAX_SLOTS], returned: &mut Option<Value>) -> Option<Value> {
    Some(match node {
        Node::Const(v) => *v,
        Node::Slot(s) => *slots.get(*s)?,
        Node::Neg(x) => match eval(x, slots, returned)? {
            Value::Int(i) => Value::Int(i.checked_neg()?),
            Value::Dec(d) => Value::Dec(-d),
            _ => return None,
        },
        Node::Plus(x) => match eval(x, slots, returned)? {
            v @ (Value::Int(_) | Value::Dec(_)) => v,
            _ => return None,
        },
        Node::Not(x) => match eval(x, slots, returned)? {
            Value::Bool(b) => Value::Bool(!b),
            _ => return None,
        },
        Node::Binary(op, a, b) => {
            let a = operand(a, slots, returned)?;
            let b = operand(b, slots, returned)?;
            binary(*op, a, b)?
        }
        Node::Logic(stop, operands) => {
            let mut result = !*stop;
            for o in operands {
                match eval(o, slots, returned)? {
                    Value::Bool(b) if b == *stop => {
                        result = *stop;
                        break;
                    }
                    Value::Bool(_) => {}
                    _ => return None,
                }
            }
            Value::Bool(result)
        }
        Node::If(cond, then, otherwise) => {
            let branch = match operand(cond, slots, returned)? {
                Value::Bool(true) => then,
                Value::Bool(false) => otherwise,
                _ => return None,
            };
            // a branch of one expression (most are) needs no block
            if let [Statement::Eval(node)] = branch.0.as_slice() {
                return operand(node, slots, returned);
            }
            return run_block(branch, slots, returned);
        }
        Node::Block(block) => return run_block(block, slots, returned),
        Node::Call(helper, args) => {
            let mut values = [Value::Unit; 3];
            for (v, a) in values.iter_mut().zip(args) {
                *v = eval(a, slots, returned)?;
            }
            call(helper, values.get(..args.len())?)?
        }
    })
}

fn binary(op: Op, a: Value, b: Value) -> Option<Value> {
    use Value::{Bool, Dec, Int};
    // rhai's built-in operators (and perfpay's exact integer division):
    // integers with integers, decimals with decimals or integers (the
    // integer converted), booleans compared
    Some(match (a, b) {
        (Int(x), Int(y)) => match op {
            Op::Add => Int(x.checked_add(y)?),
            Op::Sub => Int(x.checked_sub(y)?),
            Op::Mul => Int(x.checked_mul(y)?),
            // two integers divide exactly, as in perfpay's engine (`3 / 4`
            // is 0.75)
            Op::Div if y != 0 => Dec(helpers::int_divide(x, y)?),
            Op::Rem if y != 0 => Int(x.checked_rem(y)?),
            Op::Div | Op::Rem => return None,
            _ => Bool(compare(op, x.cmp(&y))),
        },
        (Dec(_), Int(_)) | (Int(_), Dec(_)) | (Dec(_), Dec(_)) => {
            let (x, y) = (decimal(a)?, decimal(b)?);
            match op {
                Op::Add => Dec(x.checked_add(y)?),
                Op::Sub => Dec(x.checked_sub(y)?),
                Op::Mul => Dec(x.checked_mul(y)?),
                Op::Div if !y.is_zero() => Dec(x.checked_div(y)?),
                Op::Rem => Dec(x.checked_rem(y)?),
                Op::Div => return None,
                _ => Bool(compare(op, cmp_parts(Parts::of(x), y))),
            }
        }
        (Bool(x), Bool(y)) => match op {
            Op::Eq => Bool(x == y),
            Op::Ne => Bool(x != y),
            _ => return None,
        },
        _ => return None,
    })
}

fn compare(op: Op, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        Op::Eq => ordering == Equal,
        Op::Ne => ordering != Equal,
        Op::Lt => ordering == Less,
        Op::Le => ordering != Greater,
        Op::Gt => ordering == Greater,
        _ => ordering != Less,
    }
}

fn decimal(v: Value) -> Option<Decimal> {
    match v {
        Value::Dec(d) => Some(d),
        Value::Int(i) => Some(Decimal::from(i)),
        _ => None,
    }
}

/// The helpers for the argument types registered with rhai, through the
/// same functions; other combinations decline.
fn call(helper: &Helper, args: &[Value]) -> Option<Value> {
    use Value::{Dec, Int};
    Some(match (helper, args) {
        // tier() takes a decimal amount; an integer is an error in rhai
        (Helper::Tier(table), [Dec(x)]) => Dec(table.compute(*x).ok()?),
        (Helper::RoundMoney(policy), [x @ (Dec(_) | Int(_))]) => Dec(policy.round(decimal(*x)?)),
        (Helper::Percent, [x @ (Dec(_) | Int(_))]) => Dec(helpers::percent(decimal(*x)?)),
        (
            Helper::Clamp,
            [
                x @ (Dec(_) | Int(_)),
                lo @ (Dec(_) | Int(_)),
                hi @ (Dec(_) | Int(_)),
            ],
        ) if registered_clamp(*x, *lo, *hi) => {
            Dec(helpers::clamp(decimal(*x)?, decimal(*lo)?, decimal(*hi)?).ok()?)
        }
        (Helper::Min, [a, b]) if registered_pair(*a, *b) => Dec(decimal(*a)?.min(decimal(*b)?)),
        (Helper::Max, [a, b]) if registered_pair(*a, *b) => Dec(decimal(*a)?.max(decimal(*b)?)),
        _ => return None,
    })
}

/// `clamp` is registered for (dec, dec, dec), (dec, int, int), (int, int, int).
fn registered_clamp(x: Value, lo: Value, hi: Value) -> bool {
    use Value::{Dec, Int};
    matches!(
        (x, lo, hi),
        (Dec(_), Dec(_), Dec(_)) | (Dec(_), Int(_), Int(_)) | (Int(_), Int(_), Int(_))
    )
}

/// `min` and `max` are registered for pairs with at least one decimal.
fn registered_pair(a: Value, b: Value) -> bool {
    use Value::{Dec, Int};
    matches!((a, b), (Dec(_), Dec(_)) | (Dec(_), Int(_)) | (Int(_), Dec(_)))
}
