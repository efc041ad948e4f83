/**
 * The bundled workflows' case suites on ONE real n8n 2.x with the packed package (one boot instead
 * of three): the contact cases of issue 13 on the shipped settings, then the review queue and the
 * error handler (which switch to Manual Review), then settings in one place (which renames a
 * Pipedrive field and saves its own settings). Each suite asserts both simulators; the order is
 * fixed because each leaves the settings the next one starts from.
 */
import { startStack, type Stack } from "../harness/stack";
import { registerContactCases } from "./bundled/contactCases";
import { registerReview } from "./bundled/review";
import { registerSettings } from "./bundled/settings";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ seed: true, label: "n8n-e2e-bundled-cases" });
}, 600000);
afterAll(async () => stack?.stop(), 120000);

registerContactCases(() => stack);
registerReview(() => stack);
registerSettings(() => stack);
