import { Migration } from '@mikro-orm/migrations';

export class Migration20261128113011_service_point_activity_amount extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "service_point_activity" add column "amount" numeric(18,2) null;`);
    this.addSql(`alter table "service_point_activity" add constraint service_point_activity_amount check(amount is null or amount >= 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "service_point_activity" drop constraint service_point_activity_amount;`);
    this.addSql(`alter table "service_point_activity" drop column "amount";`);
  }

}
