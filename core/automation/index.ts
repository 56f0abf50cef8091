/** Automation: policies, trigger evaluation and the rollout state machine (pure; the edge runs them on a tick). Runners import ./runner directly: it trains, so it must stay out of the edge. */
export * from './duration';
export * from './policy';
export * from './triggers';
export * from './rollout';
