import type { DeliveryReport } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

interface DeliveredMessage {
  purpose: string;
  toNumber: string;
  fromNumber: string;
}

/**
 * Records Twilio's final word on an outbound SMS in the send ledger. Null
 * when the SID is not one of ours (a message sent outside JobRun).
 */
export function createRecordDelivery({ db, logger }: ActivityDeps) {
  return async function recordDelivery(report: DeliveryReport): Promise<DeliveredMessage | null> {
    const row = await db.outboundMessage.findUnique({ where: { twilioSid: report.messageSid } });
    const log = activityLogger(logger).child({ sid: report.messageSid, deliveryStatus: report.status, errorCode: report.errorCode });
    if (!row) {
      log.warn({ event: 'delivery.unknown_sid' }, 'status callback for a message JobRun did not send');
      return null;
    }
    await db.outboundMessage.update({
      where: { id: row.id },
      data: report.status === 'delivered' ? { status: 'DELIVERED' } : { status: 'FAILED', errorCode: report.errorCode ?? report.status },
    });
    log[report.status === 'delivered' ? 'info' : 'warn']({ event: `delivery.${report.status}`, purpose: row.purpose }, `SMS ${report.status}`);
    return { purpose: row.purpose, toNumber: row.toNumber, fromNumber: row.fromNumber };
  };
}
