/**
 * Every BullMQ queue, its job payload, and its job-id scheme (deterministic ids make enqueueing idempotent:
 * adding a job whose id exists is a no-op). Queue names carry a hash tag so a Redis Cluster keeps each queue
 * in one slot.
 */
export const QUEUES = {
  outboxRelay: '{outbox-relay}',
  webhookDelivery: '{webhook-delivery}',
  orderSubmission: '{order-submission}',
  trubitCallbacks: '{trubit-callbacks}',
  reconciliation: '{reconciliation}',
  kycSync: '{kyc-sync}',
  /** Repeatable jobs of the orders worker: funding watcher, idempotency-record purge. */
  fundingWatch: '{funding-watch}',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface WebhookDeliveryJob {
  deliveryId: string;
}

export interface OrderSubmissionJob {
  orderId: string;
}

export interface TrubitCallbackJob {
  callbackId: string;
}

export const jobIds = {
  webhookDelivery: (deliveryId: string, series = 0) => `dlv:${deliveryId}:${series}`,
  orderSubmission: (orderId: string, attempt = 0) => `sub:${orderId}:${attempt}`,
  // BullMQ refuses a custom id with ':' unless it has exactly three parts, hence no "cb:<id>".
  trubitCallback: (callbackId: string) => `cb-${callbackId}`,
};
