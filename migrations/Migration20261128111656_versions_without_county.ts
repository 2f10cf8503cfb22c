import { Migration } from '@mikro-orm/migrations';

export class Migration20261128111656_versions_without_county extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "record_version" alter column "county_code" drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "record_version" alter column "county_code" set not null;`);
  }

}
