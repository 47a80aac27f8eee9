// With a `lib` that has Symbol.dispose itself (ESNext), payhook's declaration of it
// merges with TypeScript's, and `using` frees a HitpayVerifier at the end of its block.
import { HitpayVerifier, type HitpayWebhook } from 'payhook';

export function verifyOnce(body: string, salt: string): HitpayWebhook {
  using verifier = new HitpayVerifier(salt);
  return verifier.verify(body);
}
