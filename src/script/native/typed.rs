//! A native tree whose every value has a type known when the rule is
//! compiled, built as closures.
//!
//! Most rules compute decimals from decimals: the context's variables and
//! metrics are decimals, and so is every literal with a decimal point. For
//! such a rule the type of each expression is known before it runs, so
//! evaluation need not carry a tagged [`Value`] through every node and
//! match on it at every operation. This module types the untyped tree and
//! builds each node as a closure over its operands' closures; a constant
//! or a slot operand is read in place, not through a call. Where a type
//! cannot be known, or where knowing it would change what the rule means,
//! there is no typed form and the untyped tree runs instead.
//!
//! The typing keeps the untyped tree's meaning exactly, which is rhai's:
//!
//! * an integer literal beside a decimal is converted to a decimal, as the
//!   operators registered with rhai convert it: it becomes a decimal
//!   constant here;
//! * integers with integers are not decimals (their arithmetic overflows
//!   at 2⁶³ and `/` divides exactly): operations on integer constants are
//!   folded by the untyped tree's own [`binary`] when the rule is
//!   compiled, and a rule that computes integers at run time has no typed
//!   form;
//! * a number that is a decimal or an integer literal depending on a
//!   branch (`if low { 0 } else { amount * 0.02 }`) is *mixed*: it may go
//!   only where every value it can take is converted alike — beside a
//!   decimal, into a comparison, `round_money`, `percent`, a `let`, a
//!   branch, or the rule's result;
//! * a typed operation declines exactly where the untyped one does (an
//!   overflow, a division by zero, an optional variable that is `()`), and
//!   the rule then runs in rhai.
//!
//! A `return` is typed at the top of the rule only: as its last statement,
//! or as a guard `if cond { …; return x; }`. Any other rule runs on the
//! untyped tree.

use std::cmp::Ordering;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::{Block, Helper, MAX_SLOTS, Node, Op, Statement, Value, binary};
use crate::money::{Parts, RoundingPolicy, cmp_parts, pow10_i128};
use crate::script::library::helpers;
use crate::tier::TierTable;

/// The slots during evaluation: every value of a typed rule is a decimal
/// or a boolean, and a boolean `let` keeps its value as 1 or 0, so a slot
/// needs no tag.
pub(in crate::script) type Env = [Decimal; MAX_SLOTS];
/// A compiled numeric expression.
type Num = Box<dyn Fn(&mut Env) -> Option<Decimal> + Send + Sync>;
/// A compiled condition.
type Flag = Box<dyn Fn(&mut Env) -> Option<bool> + Send + Sync>;
/// A compiled statement evaluated for its effect (a `let`) or its failure.
type Effect = Box<dyn Fn(&mut Env) -> Option<()> + Send + Sync>;
/// A compiled result of the rule.
type Out = Box<dyn Fn(&mut Env) -> Option<Value> + Send + Sync>;

/// `$body` with `$x` bound to the operand as a [`Get`] of its own type, so
/// that the closure `$body` builds reads a constant or a slot in place.
macro_rules! with_operand {
    ($a:expr, |$x:ident| $body:expr) => {
        match $a {
            Operand::Const(p) => {
                let $x = C(p);
                $body
            }
            Operand::Slot(p) => {
                let $x = S(p);
                $body
            }
            Operand::Code(p) => {
                let $x = F(p);
                $body
            }
        }
    };
}

/// [`with_operand`] for two operands.
macro_rules! with_operands {
    ($a:expr, $b:expr, |$x:ident, $y:ident| $body:expr) => {
        match $a {
            Operand::Const(p) => {
                let $x = C(p);
                with_operand!($b, |$y| $body)
            }
            Operand::Slot(p) => {
                let $x = S(p);
                with_operand!($b, |$y| $body)
            }
            Operand::Code(p) => {
                let $x = F(p);
                with_operand!($b, |$y| $body)
            }
        }
    };
}

/// A rule typed and built as closures: its top-level statements, then its
/// result.
pub(in crate::script) struct Program {
    steps: Vec<Step>,
    result: Out,
}

/// A top-level statement.
enum Step {
    /// A `let` or an expression evaluated for its failure alone.
    Effect(Effect),
    /// `if cond { …; return x; }`: the rule's result when `cond` holds.
    Guard(Flag, Out),
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("steps", &self.steps.len())
            .finish_non_exhaustive()
    }
}

impl Program {
    /// The typed form of `body`, whose inputs are in `inputs` (decimals:
    /// an optional variable that is `()` is not given to a typed rule, it
    /// runs in rhai); `None` when some value's type cannot be known when
    /// the rule is compiled.
    pub(super) fn compile(body: &Block, inputs: impl IntoIterator<Item = usize>) -> Option<Program> {
        let mut slots = [None; MAX_SLOTS];
        for slot in inputs {
            *slots.get_mut(slot)? = Some(Kind::Dec);
        }
        Typer { slots }.program(body)
    }

    /// Runs the rule: `None` when it declines.
    #[inline]
    pub(in crate::script) fn run(&self, env: &mut Env) -> Option<Value> {
        for step in &self.steps {
            match step {
                Step::Effect(effect) => effect(env)?,
                Step::Guard(cond, out) => {
                    if cond(env)? {
                        return out(env);
                    }
                }
            }
        }
        (self.result)(env)
    }
}

/// What a slot holds, as far as compilation knows.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// A decimal.
    Dec,
    /// A decimal converted from a mixed value.
    Mixed,
    /// A boolean, kept as 1 or 0.
    Bool,
    /// A constant: the slot is never written, its readers use the value.
    Const(Value),
}

/// A numeric operand: a constant or a slot is read in place by the
/// operation that uses it; anything else is a call.
enum Operand {
    Const(Decimal),
    Slot(usize),
    Code(Num),
}

/// An expression, typed.
enum Typed {
    /// An integer, known when the rule is compiled.
    Int(i64),
    /// A decimal.
    Dec(Operand),
    /// A decimal or an integer literal, converted to a decimal (see the
    /// module documentation for where it may go).
    Mixed(Operand),
    /// A boolean.
    Bool(Flag),
}

impl Typed {
    /// A constant value as typed.
    fn constant(value: Value) -> Option<Typed> {
        Some(match value {
            Value::Int(i) => Typed::Int(i),
            Value::Dec(d) => Typed::Dec(Operand::Const(d)),
            Value::Bool(b) => Typed::Bool(Box::new(move |_| Some(b))),
            Value::Unit => return None,
        })
    }

    /// The value, when it is known when the rule is compiled.
    fn known(&self) -> Option<Value> {
        match self {
            Typed::Int(i) => Some(Value::Int(*i)),
            Typed::Dec(Operand::Const(d)) => Some(Value::Dec(*d)),
            _ => None,
        }
    }

    /// A number every value of which a conversion to decimal keeps: an
    /// integer constant converted, a decimal, a mixed number.
    fn converted(self) -> Option<Operand> {
        match self {
            Typed::Int(i) => Some(Operand::Const(Decimal::from(i))),
            Typed::Dec(x) | Typed::Mixed(x) => Some(x),
            Typed::Bool(_) => None,
        }
    }

    /// The rule's result as a value.
    fn out(self) -> Out {
        match self {
            Typed::Int(i) => Box::new(move |_| Some(Value::Int(i))),
            Typed::Dec(x) | Typed::Mixed(x) => {
                with_operand!(x, |x| Box::new(move |env| Some(Value::Dec(x.get(env)?))))
            }
            Typed::Bool(f) => Box::new(move |env| Some(Value::Bool(f(env)?))),
        }
    }

    /// Evaluated for its failure alone (a statement whose value is not
    /// used).
    fn effect(self) -> Effect {
        match self {
            Typed::Int(_) | Typed::Dec(Operand::Const(_)) | Typed::Mixed(Operand::Const(_)) => {
                Box::new(|_| Some(()))
            }
            Typed::Dec(x) | Typed::Mixed(x) => {
                with_operand!(x, |x| Box::new(move |env| x.get(env).map(drop)))
            }
            Typed::Bool(f) => Box::new(move |env| f(env).map(drop)),
        }
    }
}

/// Reads an operand in place.
trait Get: Send + Sync + 'static {
    fn get(&self, env: &mut Env) -> Option<Decimal>;
}

struct C(Decimal);
struct S(usize);
struct F(Num);

impl Get for C {
    #[inline(always)]
    fn get(&self, _: &mut Env) -> Option<Decimal> {
        Some(self.0)
    }
}

impl Get for S {
    #[inline(always)]
    fn get(&self, env: &mut Env) -> Option<Decimal> {
        env.get(self.0).copied()
    }
}

impl Get for F {
    #[inline(always)]
    fn get(&self, env: &mut Env) -> Option<Decimal> {
        (self.0)(env)
    }
}

impl Operand {
    /// The operand as a call (for the helpers taken less often).
    fn into_num(self) -> Num {
        match self {
            Operand::Const(d) => Box::new(move |_| Some(d)),
            Operand::Slot(s) => Box::new(move |env| S(s).get(env)),
            Operand::Code(f) => f,
        }
    }
}

/// An arithmetic operation on two decimals, as the untyped tree's
/// [`binary`] computes it.
fn arithmetic(op: Op, a: Operand, b: Operand) -> Option<Num> {
    fn build<A: Get, B: Get>(
        a: A,
        b: B,
        f: impl Fn(Decimal, Decimal) -> Option<Decimal> + Send + Sync + 'static,
    ) -> Num {
        Box::new(move |env| f(a.get(env)?, b.get(env)?))
    }
    // each operation is its own closure type, so the operation is not
    // chosen again at every evaluation
    Some(match op {
        Op::Add => with_operands!(a, b, |x, y| build(x, y, |x: Decimal, y| x.checked_add(y))),
        Op::Sub => with_operands!(a, b, |x, y| build(x, y, |x: Decimal, y| x.checked_sub(y))),
        Op::Mul => with_operands!(a, b, |x, y| build(x, y, |x: Decimal, y| x.checked_mul(y))),
        Op::Div => with_operands!(a, b, |x, y| build(x, y, divide)),
        Op::Rem => with_operands!(a, b, |x, y| build(x, y, Decimal::checked_rem)),
        Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => return None,
    })
}

fn divide(x: Decimal, y: Decimal) -> Option<Decimal> {
    if y.is_zero() { None } else { x.checked_div(y) }
}

/// A comparison of two numbers, each converted to a decimal.
fn comparison(op: Op, a: Operand, b: Operand) -> Option<Flag> {
    // each comparison is its own closure type, as each operation is
    Some(match op {
        Op::Eq => compare(a, b, Ordering::is_eq),
        Op::Ne => compare(a, b, Ordering::is_ne),
        Op::Lt => compare(a, b, Ordering::is_lt),
        Op::Le => compare(a, b, Ordering::is_le),
        Op::Gt => compare(a, b, Ordering::is_gt),
        Op::Ge => compare(a, b, Ordering::is_ge),
        Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Rem => return None,
    })
}

fn compare<H: Fn(Ordering) -> bool + Copy + Send + Sync + 'static>(a: Operand, b: Operand, holds: H) -> Flag {
    fn general<A: Get, B: Get>(a: A, b: B, holds: impl Fn(Ordering) -> bool + Send + Sync + 'static) -> Flag {
        Box::new(move |env| {
            let x = a.get(env)?;
            let y = b.get(env)?;
            Some(holds(cmp_parts(Parts::of(x), y)))
        })
    }
    fn threshold<A: Get>(
        a: A,
        t: Threshold,
        holds: impl Fn(Ordering) -> bool + Send + Sync + 'static,
    ) -> Flag {
        Box::new(move |env| Some(holds(t.cmp(a.get(env)?))))
    }
    match (a, b) {
        // a value against a constant (most comparisons): the constant is
        // scaled once, not at each evaluation
        (a @ (Operand::Slot(_) | Operand::Code(_)), Operand::Const(c)) => {
            with_operand!(a, |x| threshold(x, Threshold::new(c), holds))
        }
        (Operand::Const(c), b @ (Operand::Slot(_) | Operand::Code(_))) => {
            with_operand!(b, |y| threshold(y, Threshold::new(c), move |o: Ordering| holds(
                o.reverse()
            )))
        }
        (a, b) => with_operands!(a, b, |x, y| general(x, y, holds)),
    }
}

/// A constant that values are compared with: its mantissa at each scale
/// from its own up to 28 (as far as an `i128` holds it), so that a value
/// of equal or greater scale compares mantissas without multiplying.
struct Threshold {
    value: Decimal,
    scaled: Box<[i128]>,
}

impl Threshold {
    fn new(value: Decimal) -> Threshold {
        let (mantissa, scale) = (value.mantissa(), value.scale());
        let scaled = (scale..=28)
            .map_while(|s| pow10_i128(s.saturating_sub(scale)).and_then(|p| mantissa.checked_mul(p)))
            .collect();
        Threshold { value, scaled }
    }

    /// `x.cmp(&self.value)`.
    #[inline(always)]
    fn cmp(&self, x: Decimal) -> Ordering {
        let at = x
            .scale()
            .checked_sub(self.value.scale())
            .and_then(|i| self.scaled.get(i as usize));
        match at {
            // one scale: mantissas compare as the values do
            Some(m) => x.mantissa().cmp(m),
            None => cmp_parts(Parts::of(x), self.value),
        }
    }
}

/// Types a tree.
struct Typer {
    slots: [Option<Kind>; MAX_SLOTS],
}

impl Typer {
    fn program(&mut self, body: &Block) -> Option<Program> {
        let (last, rest) = body.0.split_last()?;
        let mut steps = Vec::with_capacity(rest.len());
        for statement in rest {
            steps.push(match statement {
                Statement::Eval(Node::If(cond, then, otherwise))
                    if otherwise.0.is_empty() && returns(then) =>
                {
                    let cond = self.flag(cond)?;
                    let out = self.returning(then)?;
                    Step::Guard(cond, out)
                }
                other => Step::Effect(self.statement(other)?),
            });
        }
        let result = match last {
            Statement::Eval(node) | Statement::Return(Some(node)) => self.expr(node)?.out(),
            Statement::Let(..) | Statement::Return(None) => return None,
        };
        Some(Program { steps, result })
    }

    /// A guard's block: statements, then `return x`.
    fn returning(&mut self, block: &Block) -> Option<Out> {
        let (last, rest) = block.0.split_last()?;
        let effects = self.effects(rest)?;
        let Statement::Return(Some(node)) = last else {
            return None;
        };
        let out = self.expr(node)?.out();
        if effects.is_empty() {
            return Some(out);
        }
        Some(Box::new(move |env| {
            for effect in &effects {
                effect(env)?;
            }
            out(env)
        }))
    }

    /// The statements before a block's last.
    fn effects(&mut self, statements: &[Statement]) -> Option<Vec<Effect>> {
        statements.iter().map(|s| self.statement(s)).collect()
    }

    /// A statement that is not a block's last: a `let`, or an expression
    /// evaluated for its failure alone.
    fn statement(&mut self, statement: &Statement) -> Option<Effect> {
        match statement {
            Statement::Let(slot, node) => self.define(*slot, node),
            Statement::Eval(node) => Some(self.expr(node)?.effect()),
            Statement::Return(_) => None,
        }
    }

    /// `let`: the slot's kind is the value's; a constant is never stored.
    fn define(&mut self, slot: usize, node: &Node) -> Option<Effect> {
        let value = self.expr(node)?;
        let (kind, effect): (Kind, Effect) = match value {
            Typed::Int(i) => (Kind::Const(Value::Int(i)), Box::new(|_| Some(()))),
            Typed::Dec(Operand::Const(d)) => (Kind::Const(Value::Dec(d)), Box::new(|_| Some(()))),
            Typed::Dec(x) => (Kind::Dec, store(slot, x)),
            Typed::Mixed(x) => (Kind::Mixed, store(slot, x)),
            Typed::Bool(f) => (
                Kind::Bool,
                Box::new(move |env| {
                    let b = f(env)?;
                    *env.get_mut(slot)? = if b { Decimal::ONE } else { Decimal::ZERO };
                    Some(())
                }),
            ),
        };
        *self.slots.get_mut(slot)? = Some(kind);
        Some(effect)
    }

    /// A block used for its value: its statements, then its last one's
    /// value.
    fn block(&mut self, block: &Block) -> Option<Typed> {
        let (last, rest) = block.0.split_last()?;
        let effects = self.effects(rest)?;
        let Statement::Eval(node) = last else {
            return None;
        };
        let value = self.expr(node)?;
        if effects.is_empty() {
            return Some(value);
        }
        let run = move |env: &mut Env| effects.iter().try_for_each(|effect| effect(env));
        Some(match value {
            // the value is known, but the statements before it may fail: a
            // mixed number keeps its meaning wherever it goes
            Typed::Int(_) | Typed::Dec(_) | Typed::Mixed(_) => {
                let mixed = matches!(value, Typed::Int(_) | Typed::Mixed(_));
                let x = value.converted()?;
                let code: Num = with_operand!(x, |x| Box::new(move |env| {
                    run(env)?;
                    x.get(env)
                }));
                if mixed {
                    Typed::Mixed(Operand::Code(code))
                } else {
                    Typed::Dec(Operand::Code(code))
                }
            }
            Typed::Bool(f) => Typed::Bool(Box::new(move |env| {
                run(env)?;
                f(env)
            })),
        })
    }

    fn flag(&mut self, node: &Node) -> Option<Flag> {
        match self.expr(node)? {
            Typed::Bool(f) => Some(f),
            _ => None,
        }
    }

    fn expr(&mut self, node: &Node) -> Option<Typed> {
        Some(match node {
            Node::Const(v) => Typed::constant(*v)?,
            Node::Slot(s) => match (*self.slots.get(*s)?)? {
                Kind::Dec => Typed::Dec(Operand::Slot(*s)),
                Kind::Mixed => Typed::Mixed(Operand::Slot(*s)),
                Kind::Const(v) => Typed::constant(v)?,
                Kind::Bool => {
                    let s = *s;
                    Typed::Bool(Box::new(move |env| env.get(s).map(|b| !b.is_zero())))
                }
            },
            Node::Neg(x) => match self.expr(x)? {
                Typed::Int(i) => Typed::Int(i.checked_neg()?),
                Typed::Dec(Operand::Const(d)) => Typed::Dec(Operand::Const(-d)),
                Typed::Dec(x) => Typed::Dec(Operand::Code(with_operand!(x, |x| Box::new(move |env| Some(
                    -x.get(env)?
                ))))),
                // an integer's negation can overflow where a decimal's cannot
                Typed::Mixed(_) | Typed::Bool(_) => return None,
            },
            Node::Plus(x) => match self.expr(x)? {
                Typed::Bool(_) => return None,
                number => number,
            },
            Node::Not(x) => {
                let f = self.flag(x)?;
                Typed::Bool(Box::new(move |env| Some(!f(env)?)))
            }
            Node::Binary(op, a, b) => self.binary(*op, a, b)?,
            Node::Logic(stop, operands) => {
                let stop = *stop;
                let operands = operands
                    .iter()
                    .map(|o| self.flag(o))
                    .collect::<Option<Vec<_>>>()?;
                Typed::Bool(Box::new(move |env| {
                    for o in &operands {
                        if o(env)? == stop {
                            return Some(stop);
                        }
                    }
                    Some(!stop)
                }))
            }
            Node::If(cond, then, otherwise) => self.choice(cond, then, otherwise)?,
            Node::Block(block) => self.block(block)?,
            Node::Call(helper, args) => self.call(helper, args)?,
        })
    }

    fn binary(&mut self, op: Op, a: &Node, b: &Node) -> Option<Typed> {
        let (a, b) = (self.expr(a)?, self.expr(b)?);
        if let (Some(x), Some(y)) = (a.known(), b.known()) {
            // integers with integers, or constants: computed now by the
            // untyped tree's own operation (its `None` would decline at
            // every evaluation)
            return Typed::constant(binary(op, x, y)?);
        }
        let comparing = matches!(op, Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge);
        match (a, b) {
            (Typed::Bool(x), Typed::Bool(y)) => {
                let equal = match op {
                    Op::Eq => true,
                    Op::Ne => false,
                    _ => return None,
                };
                Some(Typed::Bool(Box::new(move |env| {
                    Some((x(env)? == y(env)?) == equal)
                })))
            }
            (Typed::Bool(_), _) | (_, Typed::Bool(_)) => None,
            // a comparison converts both sides exactly, whatever they are
            (a, b) if comparing => Some(Typed::Bool(comparison(op, a.converted()?, b.converted()?)?)),
            // arithmetic: a decimal on at least one side
            // arithmetic with a decimal on one side converts the other,
            // whatever it is
            (a @ Typed::Dec(_), b) | (a, b @ Typed::Dec(_)) => Some(Typed::Dec(Operand::Code(arithmetic(
                op,
                a.converted()?,
                b.converted()?,
            )?))),
            // integers meeting integers at run time, possibly
            _ => None,
        }
    }

    /// `if cond { a } else { b }` used for its value.
    fn choice(&mut self, cond: &Node, then: &Block, otherwise: &Block) -> Option<Typed> {
        let cond = self.flag(cond)?;
        let (a, b) = (self.block(then)?, self.block(otherwise)?);
        match (a, b) {
            (Typed::Bool(x), Typed::Bool(y)) => {
                Some(Typed::Bool(Box::new(
                    move |env| {
                        if cond(env)? { x(env) } else { y(env) }
                    },
                )))
            }
            (Typed::Bool(_), _) | (_, Typed::Bool(_)) => None,
            (a, b) => {
                let mixed = !matches!((&a, &b), (Typed::Dec(_), Typed::Dec(_)));
                let (x, y) = (a.converted()?, b.converted()?);
                let code: Num = with_operands!(x, y, |x, y| Box::new(move |env| {
                    if cond(env)? { x.get(env) } else { y.get(env) }
                }));
                Some(if mixed {
                    Typed::Mixed(Operand::Code(code))
                } else {
                    Typed::Dec(Operand::Code(code))
                })
            }
        }
    }

    fn call(&mut self, helper: &Helper, args: &[Node]) -> Option<Typed> {
        let args = args.iter().map(|a| self.expr(a)).collect::<Option<Vec<_>>>()?;
        let known = args.iter().map(Typed::known).collect::<Option<Vec<_>>>();
        if let Some(values) = known {
            // every argument known: the helper's value is too
            return Typed::constant(super::call(helper, &values)?);
        }
        let mut args = args.into_iter();
        let dec = |code: Num| Some(Typed::Dec(Operand::Code(code)));
        match helper {
            // tier() takes a decimal: an integer is an error in rhai
            Helper::Tier(table) => match (args.next()?, args.next()) {
                (Typed::Dec(x), None) => dec(tier(Arc::clone(table), x)),
                _ => None,
            },
            Helper::RoundMoney(policy) => match (args.next()?.converted()?, args.next()) {
                (x, None) => dec(round_money(*policy, x)),
                _ => None,
            },
            Helper::Percent => match (args.next()?.converted()?, args.next()) {
                (x, None) => dec(with_operand!(x, |x| Box::new(move |env| Some(helpers::percent(
                    x.get(env)?
                ))))),
                _ => None,
            },
            Helper::Clamp => {
                let (x, lo, hi) = (args.next()?, args.next()?, args.next()?);
                // registered for (dec, dec, dec), (dec, int, int) and
                // (int, int, int); the last is all constants, folded above
                let registered = matches!(
                    (&x, &lo, &hi),
                    (Typed::Dec(_), Typed::Dec(_), Typed::Dec(_))
                        | (Typed::Dec(_), Typed::Int(_), Typed::Int(_))
                );
                if !registered {
                    return None;
                }
                let (x, lo, hi) = (
                    x.converted()?.into_num(),
                    lo.converted()?.into_num(),
                    hi.converted()?.into_num(),
                );
                dec(Box::new(move |env| {
                    helpers::clamp(x(env)?, lo(env)?, hi(env)?).ok()
                }))
            }
            Helper::Min | Helper::Max => {
                let (a, b) = (args.next()?, args.next()?);
                // registered for pairs with at least one decimal
                let registered = matches!(
                    (&a, &b),
                    (Typed::Dec(_), Typed::Dec(_))
                        | (Typed::Dec(_), Typed::Int(_))
                        | (Typed::Int(_), Typed::Dec(_))
                );
                if !registered {
                    return None;
                }
                let (a, b) = (a.converted()?, b.converted()?);
                let code: Num = if matches!(helper, Helper::Min) {
                    with_operands!(a, b, |x, y| Box::new(move |env| Some(
                        x.get(env)?.min(y.get(env)?)
                    )))
                } else {
                    with_operands!(a, b, |x, y| Box::new(move |env| Some(
                        x.get(env)?.max(y.get(env)?)
                    )))
                };
                dec(code)
            }
        }
    }
}

/// Whether a block ends with `return x`.
fn returns(block: &Block) -> bool {
    matches!(block.0.last(), Some(Statement::Return(Some(_))))
}

fn store(slot: usize, x: Operand) -> Effect {
    with_operand!(x, |x| Box::new(move |env| {
        let d = x.get(env)?;
        *env.get_mut(slot)? = d;
        Some(())
    }))
}

fn tier(table: Arc<TierTable>, x: Operand) -> Num {
    with_operand!(x, |x| Box::new(move |env| table.compute(x.get(env)?).ok()))
}

fn round_money(policy: RoundingPolicy, x: Operand) -> Num {
    with_operand!(x, |x| Box::new(move |env| Some(policy.round(x.get(env)?))))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::id::{MetricId, RuleId};
    use crate::script::{Script, ScriptContext, ScriptEngine, ScriptValue};
    use crate::tier::{Tier, TierTable};

    fn engine(rhai_only: bool) -> ScriptEngine {
        let b = ScriptEngine::builder()
            .metric(MetricId::new("satisfaction").unwrap())
            .table(
                "sales",
                TierTable::marginal([
                    Tier::rate(dec!(0), dec!(0.01)),
                    Tier::rate(dec!(50000), dec!(0.02)),
                ])
                .unwrap(),
            );
        if rhai_only { b.rhai_only() } else { b }.build()
    }

    fn compile(source: &str, rhai_only: bool) -> Script {
        engine(rhai_only)
            .compile(RuleId::new("r").unwrap(), source, ScriptContext::Commission)
            .unwrap()
    }

    /// Whether the rule has a tree, and whether the tree is typed.
    fn form(source: &str) -> (bool, bool) {
        let script = compile(source, false);
        let tree = script.inner.tree.as_ref();
        (
            tree.is_some(),
            tree.is_some_and(|(tree, _)| tree.typed().is_some()),
        )
    }

    /// The rule's value through the typed tree and through rhai, which
    /// must agree to the scale.
    fn value(
        source: &str,
        amount: rust_decimal::Decimal,
        satisfaction: rust_decimal::Decimal,
    ) -> ScriptValue {
        let metrics = [(MetricId::new("satisfaction").unwrap(), satisfaction)];
        let typed = compile(source, false)
            .evaluate_commission(amount, dec!(0), &metrics)
            .unwrap();
        let rhai = compile(source, true)
            .evaluate_commission(amount, dec!(0), &metrics)
            .unwrap();
        assert_eq!(format!("{typed:?}"), format!("{rhai:?}"), "{source}");
        typed
    }

    const GATED: &str = "
        if satisfaction < 0.85 { 0 } else {
            let c = if amount < 50000 { amount * 0.01 }
                else if amount < 100000 { 500 + (amount - 50000) * 0.02 }
                else { 1500 + (amount - 100000) * 0.03 };
            if satisfaction >= 0.95 { c * 1.1 } else { c }
        }";

    #[test]
    fn decimal_rules_are_typed() {
        for source in [
            GATED,
            "if amount > 100000 { 100000 * 0.02 + (amount - 100000) * 0.03 } else { amount * 0.02 }",
            "let a = amount * 0.02;\nif satisfaction < 0.8 { return 0; }\na",
            "amount > 1000 && satisfaction >= 0.9 || !(prior == 0)",
            "round_money(percent(amount)) + tier(\"sales\", amount)",
            "let high = satisfaction > 0.9; if high { max(amount, 10) } else { clamp(amount, 0, 5000) }",
            "-(amount / 3) % 7",
        ] {
            assert_eq!(form(source), (true, true), "{source}");
        }
    }

    #[test]
    fn integers_computed_at_run_time_stay_on_the_untyped_tree() {
        for source in [
            // a mixed number meeting an integer: rhai adds integers there
            "let n = if amount > 0 { 1 } else { 2 }; n + 1",
            "(if amount > 0 { 9223372036854775807 } else { 1.5 }) * 2",
            // an integer's negation can overflow
            "-(if amount > 0 { 1 } else { 2.0 })",
            // a `return` below the top of the rule
            "let x = if amount > 0 { return 1.0; } else { 2.0 }; x * amount",
        ] {
            assert_eq!(form(source), (true, false), "{source}");
        }
    }

    #[test]
    fn a_typed_rule_computes_what_rhai_computes() {
        let guarded = "let a = amount * 0.02;\nif satisfaction < 0.8 { return a; }\n0";
        // a guard inside a guard (rhai joins the conditions)
        let nested = "if amount > 0 { if prior > 0 { return 1.0; } } amount";
        let amount = |d| ScriptValue::Amount(d);
        for (source, sales, satisfaction, want) in [
            // below the gate: the integer literal 0, as rhai gives it
            (GATED, dec!(150000.00), dec!(0.80), amount(dec!(0))),
            // 1,500 + 50,000.00 × 0.03 = 3,000.0000, then × 1.1 above 0.95
            (GATED, dec!(150000.00), dec!(0.96), amount(dec!(3300.00000))),
            // 500 + 25,000.00 × 0.02
            (GATED, dec!(75000.00), dec!(0.90), amount(dec!(1000.0000))),
            // the guard returns the let's value: 80,000.00 × 0.02
            (guarded, dec!(80000.00), dec!(0.5), amount(dec!(1600.0000))),
            (guarded, dec!(80000.00), dec!(0.9), amount(dec!(0))),
            (nested, dec!(5), dec!(0), amount(dec!(5))),
            // 100 compared with 100.00 at another scale
            ("amount >= 100", dec!(100.00), dec!(0), ScriptValue::Flag(true)),
            ("100.001 > amount", dec!(100.00), dec!(0), ScriptValue::Flag(true)),
        ] {
            assert_eq!(
                value(source, sales, satisfaction),
                want,
                "{source} at {sales}, {satisfaction}"
            );
        }
    }

    #[test]
    fn a_typed_rule_declines_where_rhai_fails() {
        let script = compile("amount * amount * amount", false);
        assert_eq!(form("amount * amount * amount"), (true, true));
        let err = script
            .evaluate_commission(rust_decimal::Decimal::MAX, dec!(0), &crate::metric::NoMetrics)
            .unwrap_err();
        assert_eq!(err.script_fault(), Some(crate::error::ScriptFault::Arithmetic));
        let zero = compile("amount / prior", false);
        assert!(
            zero.evaluate_commission(dec!(1), dec!(0), &crate::metric::NoMetrics)
                .is_err()
        );
    }
}
